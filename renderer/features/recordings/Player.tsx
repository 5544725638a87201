// Playback of one recording: an xterm.js screen (player.ts) with play/pause, speed and a seek bar.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { terminalFontStack } from '../terminals/fonts';
import { TERMINAL_THEMES } from '../terminals/surface';
import type { Cast } from './cast';
import { CastPlayer, type PlayerProgress } from './player';

const SPEEDS = [0.5, 1, 2, 4, 8] as const;

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function Player(props: { cast: Cast }) {
  const { settings } = useServices();
  const appearance = useStore(settings, (state) => state.settings);
  const systemTheme = useStore(settings, (state) => state.systemTheme);
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<CastPlayer | undefined>(undefined);
  const [progress, setProgress] = useState<PlayerProgress>({ position: 0, playing: false });
  const [speed, setSpeed] = useState(1);
  const theme = appearance.theme === 'system' ? systemTheme : appearance.theme;

  useEffect(() => {
    if (!host.current) return undefined;
    const created = new CastPlayer(host.current, props.cast, {
      theme: TERMINAL_THEMES[theme],
      fontFamily: terminalFontStack(appearance.fontFamily),
      fontSize: appearance.fontSize,
      onProgress: setProgress,
    });
    player.current = created;
    created.play();
    return () => {
      created.dispose();
      player.current = undefined;
    };
    // A new player for a new recording; the look is taken when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.cast]);

  const duration = props.cast.duration;
  return (
    <div className="player" data-testid="player">
      <div className="player__controls">
        <button
          type="button"
          className="button"
          onClick={() => (progress.playing ? player.current?.pause() : player.current?.play())}
        >
          {progress.playing ? 'Pause' : 'Play'}
        </button>
        <input
          className="player__seek"
          type="range"
          aria-label="Position"
          min={0}
          max={duration}
          step={0.1}
          value={progress.position}
          onChange={(event) => player.current?.seek(Number(event.target.value))}
        />
        <span className="player__time" data-testid="player-time">
          {clock(progress.position)} / {clock(duration)}
        </span>
        <label className="player__speed">
          Speed
          <select
            value={speed}
            onChange={(event) => {
              const value = Number(event.target.value);
              setSpeed(value);
              player.current?.setSpeed(value);
            }}
          >
            {SPEEDS.map((value) => (
              <option key={value} value={value}>
                {value}×
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="player__screen" ref={host} data-testid="player-screen" />
      {props.cast.skipped > 0 ? (
        <p className="field__hint">
          {props.cast.skipped} damaged line{props.cast.skipped === 1 ? ' was' : 's were'} skipped.
        </p>
      ) : null}
    </div>
  );
}
