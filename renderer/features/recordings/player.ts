// Plays an asciicast recording in an xterm.js terminal: play and pause, speed, and seek (the
// screen is rebuilt by writing every event up to the chosen time). Input events are not drawn:
// the terminal's output already shows what the shell echoed.
import { Terminal, type ITheme } from '@xterm/xterm';
import { eventIndexAt, parseSize, type Cast, type CastEvent } from './cast';

/** How often the position is reported while playing (the seek bar follows it). */
const PROGRESS_INTERVAL_MS = 200;

export interface PlayerProgress {
  readonly position: number;
  readonly playing: boolean;
}

export interface CastPlayerOptions {
  readonly theme: ITheme;
  readonly fontFamily: string;
  readonly fontSize: number;
  readonly onProgress: (progress: PlayerProgress) => void;
}

export class CastPlayer {
  private readonly terminal: Terminal;
  private next = 0;
  private position = 0;
  private speed = 1;
  private playing = false;
  private timer: number | undefined;
  /** Wall time and position when playing last (re)started: position = start + elapsed × speed. */
  private anchor = { wall: 0, position: 0 };

  constructor(
    host: HTMLElement,
    private readonly cast: Cast,
    private readonly options: CastPlayerOptions,
  ) {
    this.terminal = new Terminal({
      cols: cast.width,
      rows: cast.height,
      theme: options.theme,
      fontFamily: options.fontFamily,
      fontSize: options.fontSize,
      disableStdin: true,
      cursorBlink: false,
      scrollback: 5000,
    });
    this.terminal.open(host);
  }

  get duration(): number {
    return this.cast.duration;
  }

  play(): void {
    if (this.playing) return;
    if (this.next >= this.cast.events.length) this.seek(0);
    this.playing = true;
    this.anchor = { wall: performance.now(), position: this.position };
    this.tick();
  }

  pause(): void {
    if (!this.playing) return;
    this.advance();
    this.playing = false;
    this.clearTimer();
    this.report();
  }

  setSpeed(speed: number): void {
    if (this.playing) this.advance();
    this.speed = speed;
    this.anchor = { wall: performance.now(), position: this.position };
  }

  /** Shows the screen as it was `seconds` into the recording. */
  seek(seconds: number): void {
    const target = Math.max(0, Math.min(seconds, this.cast.duration));
    if (target < this.position || this.next === 0) {
      this.terminal.reset();
      this.terminal.resize(this.cast.width, this.cast.height);
      this.next = 0;
    }
    this.applyUntil(eventIndexAt(this.cast.events, target));
    this.position = target;
    this.anchor = { wall: performance.now(), position: target };
    if (this.playing) this.schedule();
    this.report();
  }

  dispose(): void {
    this.clearTimer();
    this.playing = false;
    this.terminal.dispose();
  }

  private advance(): void {
    const elapsed = (performance.now() - this.anchor.wall) / 1000;
    this.position = Math.min(this.cast.duration, this.anchor.position + elapsed * this.speed);
    this.applyUntil(eventIndexAt(this.cast.events, this.position));
  }

  private tick(): void {
    this.advance();
    if (this.next >= this.cast.events.length) {
      this.position = this.cast.duration;
      this.playing = false;
      this.clearTimer();
    } else {
      this.schedule();
    }
    this.report();
  }

  private schedule(): void {
    this.clearTimer();
    const upcoming = this.cast.events[this.next];
    const wait = upcoming ? ((upcoming.time - this.position) / this.speed) * 1000 : 0;
    this.timer = window.setTimeout(
      () => this.tick(),
      Math.max(0, Math.min(wait, PROGRESS_INTERVAL_MS)),
    );
  }

  /** Applies the events up to (not including) `end`, joining runs of output into one write. */
  private applyUntil(end: number): void {
    let output = '';
    for (; this.next < end; this.next++) {
      const event: CastEvent | undefined = this.cast.events[this.next];
      if (event?.code === 'o') output += event.data;
      else if (event?.code === 'r') {
        const size = parseSize(event.data);
        if (output !== '') this.terminal.write(output);
        output = '';
        if (size) this.terminal.resize(size.cols, size.rows);
      }
    }
    if (output !== '') this.terminal.write(output);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private report(): void {
    this.options.onProgress({ position: this.position, playing: this.playing });
  }
}
