import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the
 * page inert (focus cannot leave it), Escape closes it, and the focus goes
 * back to the control that opened it.
 */
export function Modal(props: { titleId: string; onClose(): void; returnFocus?: HTMLElement | null; children: ComponentChildren; testId?: string }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(props.onClose);
  onCloseRef.current = props.onClose;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const returnTo = props.returnFocus ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialogRef}
      class="modal"
      aria-labelledby={props.titleId}
      data-testid={props.testId}
      onCancel={(event) => {
        event.preventDefault();
        onCloseRef.current();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === dialogRef.current) onCloseRef.current();
      }}
    >
      <div class="modal-body">{props.children}</div>
    </dialog>
  );
}
