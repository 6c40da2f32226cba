import { useId } from 'react';

/**
 * A button-looking label for a hidden file input: keyboard and screen readers get the real
 * input, everyone gets one styled button. The input is cleared after each pick, so picking
 * the same file twice loads it twice.
 */
export function FileButton({
  label,
  accept,
  onFile,
  className = 'button',
  testId,
}: {
  label: string;
  accept: string;
  onFile: (file: File) => void;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className={className}>
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept={accept}
        className="visually-hidden"
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </>
  );
}
