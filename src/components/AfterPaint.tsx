import {
  startTransition,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';

/**
 * A heavy panel (charts, heat maps, the weight matrices) mounted only after the view around it
 * has painted: the learner sees the view at once and the panel arrives in the next task, as a
 * low-priority (transition) render that yields to input. Once mounted it stays mounted.
 */
export function useAfterPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return;
    let timer = 0;
    // The frame after this commit paints; the timeout then runs after that paint.
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setReady(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
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
