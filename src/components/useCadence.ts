import { useEffect, useRef, useState } from 'react';

/**
 * A value that follows `value` at most once per `intervalMs`, `offsetMs` after it changed.
 * Charts read their data through this: during training the store changes many times a second
 * and a recharts redraw costs tens of milliseconds, so each chart redraws on its own beat, in
 * its own task (the offsets keep two charts apart), and no task grows past 50 ms. A plain
 * update, not a transition: measured here, transitions interrupted by the store's synchronous
 * updates piled up into long tasks. Only while `live` (training): otherwise the value passes
 * straight through, so a paused or finished run's charts and metrics are exactly its state.
 */
export function useCadence<T>(value: T, intervalMs: number, offsetMs = 0, live = true): T {
  const [shown, setShown] = useState(value);
  const last = useRef(-Infinity);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    // Paused, stopped or finished: the value passes straight through (below); this only keeps
    // `shown` current for when training resumes.
    const wait = live ? Math.max(offsetMs, last.current + intervalMs - performance.now()) : 0;
    const id = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(id);
  }, [value, shown, intervalMs, offsetMs, live]);
  return live ? shown : value;
}
