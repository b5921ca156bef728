import { type InputHTMLAttributes, useEffect, useRef } from 'react';

export function Checkbox({
  indeterminate = false,
  className = '',
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { indeterminate?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className={`size-3.5 cursor-pointer rounded border-zinc-600 accent-sky-500 ${className}`}
      {...rest}
    />
  );
}
