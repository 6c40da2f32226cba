import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawingRowSpan, mnistFromDrawingMapped, type DrawingRows } from '../../core/index';

const PAD = 280;
const BRUSH = 22;

/**
 * A square drawing pad for mouse, touch and pen. On every lifted stroke the drawing is turned
 * into an MNIST-like 28×28 digit (crop, scale into 20×20, centre by mass) and handed on.
 */
export function DrawPad({
  onDigit,
  clearSignal,
  row,
}: {
  onDigit: (img: Float64Array) => void;
  clearSignal: number;
  /** The row the model is reading, marked on the drawing where that row came from (null: none). */
  row: number | null;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  // Where the last drawing's rows lie; it belongs to the drawing made since the last Clear.
  const [drawn, setDrawn] = useState<{ clear: number; rows: DrawingRows } | null>(null);
  const rows = drawn?.clear === clearSignal ? drawn.rows : null;

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    ctx?.clearRect(0, 0, PAD, PAD);
  }, [clearSignal]);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) / box.width) * PAD,
      y: ((e.clientY - box.top) / box.height) * PAD,
    };
  };
  const stroke = (to: { x: number; y: number }) => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const from = last.current ?? to;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + 0.01, to.y);
    ctx.stroke();
    last.current = to;
  };
  const finish = () => {
    if (!last.current) return;
    last.current = null;
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { data } = ctx.getImageData(0, 0, PAD, PAD);
    const ink = new Float64Array(PAD * PAD);
    for (let p = 0; p < ink.length; p++) ink[p] = data[p * 4 + 3] / 255;
    const mapped = mnistFromDrawingMapped(ink, PAD);
    setDrawn({ clear: clearSignal, rows: mapped.rows });
    onDigit(mapped.image);
  };
  const span = rows && row !== null ? drawingRowSpan(rows, row, PAD) : null;
  return (
    <div className="draw-pad-wrap">
      <canvas
        ref={ref}
        width={PAD}
        height={PAD}
        className="draw-pad"
        data-testid="draw-pad"
        aria-label={t('digits.pad.aria')}
        role="img"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          last.current = null;
          stroke(point(e));
        }}
        onPointerMove={(e) => {
          if (last.current) stroke(point(e));
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      {span && (
        // In % of the pad, so it follows the pad when a phone shrinks it.
        <div
          className="row-marker"
          data-testid="pad-row-marker"
          style={{ top: `${(100 * span.top) / PAD}%`, height: `${(100 * span.height) / PAD}%` }}
          aria-hidden="true"
        />
      )}
    </div>
  );
}

/** The 28×28 digit as the model sees it, the current row outlined while it reads. */
export function DigitPreview({
  image,
  row,
  size = 196,
}: {
  image: ArrayLike<number>;
  row: number | null;
  size?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = 255 - Math.round(image[p] * 255);
      img.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [image]);
  return (
    <div className="digit-preview" style={{ width: size, height: size }}>
      <canvas ref={ref} width={28} height={28} style={{ width: size, height: size }} />
      {row !== null && (
        <div
          className="row-marker"
          data-testid="row-marker"
          style={{ top: (row * size) / 28, height: size / 28 }}
          aria-hidden="true"
        />
      )}
    </div>
  );
}
