// Which run of a forward is current: a start begins a run, a stop or a failure ends it, and async
// work (a session start, a timer, a lookup) that finishes after its run ended is ignored.

export class ForwardRuns {
  private generation = 0;
  private wanted = false;

  /** True while the user wants the forward up (from start until stop or a fatal error). */
  get active(): boolean {
    return this.wanted;
  }

  begin(): void {
    this.wanted = true;
    this.generation++;
  }

  end(): void {
    this.wanted = false;
    this.generation++;
  }

  /** A check that holds as long as the run active now goes on. */
  current(): () => boolean {
    const generation = this.generation;
    return () => this.wanted && generation === this.generation;
  }
}
