// Transfer progress in words: "1.2 MiB of 3.0 MiB · 5.1 MiB/s · 2 s left".
import type { TransferView } from '../../../shared/ipc';
import { formatBytes, formatRate } from '../forwards/format';

/** "<1 s", "42 s", "3 min 5 s", "1 h 2 min". */
export function formatSecondsLeft(seconds: number): string {
  if (seconds < 1) return '<1 s';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function describeProgress(
  view: Pick<TransferView, 'doneBytes' | 'totalBytes' | 'bytesPerSecond' | 'secondsLeft'>,
): string {
  const amount =
    view.totalBytes === undefined
      ? formatBytes(view.doneBytes)
      : `${formatBytes(view.doneBytes)} of ${formatBytes(view.totalBytes)}`;
  const parts = [amount];
  if (view.bytesPerSecond > 0) parts.push(formatRate(view.bytesPerSecond));
  if (view.secondsLeft !== undefined && view.secondsLeft > 0) {
    parts.push(`${formatSecondsLeft(view.secondsLeft)} left`);
  }
  return parts.join(' · ');
}
