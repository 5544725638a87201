// Catches render errors in one area of the app and shows what failed with a way to retry,
// so a bug in one view never blanks the whole window.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Names the area in the message, e.g. "the inventory". */
  readonly area: string;
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | undefined;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Airlock: ${this.props.area} failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-panel" role="alert">
        <h2>Something went wrong in {this.props.area}</h2>
        <p className="error-panel__message">{error.message}</p>
        <button
          type="button"
          className="button"
          onClick={() => this.setState({ error: undefined })}
        >
          Try again
        </button>
      </div>
    );
  }
}
