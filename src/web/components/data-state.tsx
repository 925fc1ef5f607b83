import type { ReactNode } from 'react';
import type { Loadable } from '../api/use-api.ts';

/** Renders loading, error (in words, with a retry) and empty states around `children(data)`. */
export function DataState<T>(props: {
  state: Loadable<T> & { reload?: () => void };
  label: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { state } = props;
  if (state.status === 'loading')
    return (
      <div className="state loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Loading {props.label}…
      </div>
    );
  if (state.status === 'error' && state.error.status === 503)
    return (
      <div className="state empty" role="note">
        <strong>Not available yet.</strong> {state.error.message}.
      </div>
    );
  if (state.status === 'error')
    return (
      <div className="state error" role="alert">
        <strong>Could not load {props.label}.</strong> {state.error.message}
        {props.state.reload && state.error.status !== 403 ? (
          <button type="button" className="link" onClick={props.state.reload}>
            Try again
          </button>
        ) : null}
      </div>
    );
  if (props.isEmpty?.(state.data))
    return <div className="state empty">{props.empty ?? `No ${props.label} for this period.`}</div>;
  return <>{props.children(state.data)}</>;
}
