import {
  startTransition,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';

/**
 * Heavy panels mount one at a time, each in its own task after a paint: a view with four of them
 * would otherwise mount them in one commit (frames of 150–250 ms in the scripted session).
 */
interface Turn {
  start(): void;
}
const waiting: Turn[] = [];
let current: Turn | null = null;

function pump(): void {
  if (current) return;
  current = waiting.shift() ?? null;
  current?.start();
}

function release(turn: Turn): void {
  if (current === turn) {
    current = null;
    pump();
  } else {
    const k = waiting.indexOf(turn);
    if (k >= 0) waiting.splice(k, 1);
  }
}

/**
 * A heavy panel (charts, heat maps, the weight matrices) mounted only after the view around it
 * has painted: the learner sees the view at once and the panel arrives in a later task, as a
 * low-priority (transition) render that yields to input. Once mounted it stays mounted.
 */
export function useAfterPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return;
    let frame = 0;
    let timer = 0;
    let stuck = 0;
    // The frame after this turn starts paints; the timeout then runs after that paint. The turn
    // ends when this effect is cleaned up: the panel committed (ready) or left the page.
    const turn: Turn = {
      start: () => {
        // A render that never commits (a suspended chunk) must not hold back every other panel.
        stuck = window.setTimeout(() => release(turn), 2000);
        frame = requestAnimationFrame(() => {
          timer = window.setTimeout(() => startTransition(() => setReady(true)), 0);
        });
      },
    };
    waiting.push(turn);
    pump();
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
      window.clearTimeout(stuck);
      release(turn);
    };
  }, [ready]);
  return ready;
}

export function AfterPaint({
  name,
  minHeight = 0,
  children,
}: {
  /** Names the panel for tests (`data-heavy`), which check it mounted after the first paint. */
  name: string;
  /** Space kept for the panel meanwhile, so nothing below it jumps. */
  minHeight?: number;
  children: ReactNode;
}) {
  const ready = useAfterPaint();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (ready && ref.current && !ref.current.dataset.mountedAt)
      ref.current.dataset.mountedAt = String(Math.round(performance.now()));
  }, [ready]);
  return ready ? (
    <div ref={ref} className="after-paint" data-heavy={name}>
      {children}
    </div>
  ) : (
    <div className="after-paint pending" style={{ minHeight }} aria-busy="true" />
  );
}

/**
 * The value one painted frame late: what a new value draws commits in a task of its own after the
 * frame that drew the rest of the update. For panels that arrive with a headline number (an
 * epoch's accuracy, then its confusion matrix and misread digits), which in one commit made one
 * long frame. The value on mount shows at once.
 */
export function usePaintedLater<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setShown(value)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [value, shown]);
  return shown;
}
