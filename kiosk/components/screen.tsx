import type { ComponentChildren } from 'preact';

/** One step of a flow: a title, the content, and the way back at the bottom where a thumb finds it. */
export function Screen({
  title,
  lead,
  children,
  footer,
}: {
  title: string;
  lead?: string;
  children?: ComponentChildren;
  footer?: ComponentChildren;
}) {
  return (
    <section class="screen">
      <h1 class="screen-title">{title}</h1>
      {lead && <p class="screen-lead">{lead}</p>}
      <div class="screen-body">{children}</div>
      {footer && <div class="screen-footer">{footer}</div>}
    </section>
  );
}

/** A step that is only waiting for something: a short message and, if useful, what to do. */
export function Waiting({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: string;
  children?: ComponentChildren;
}) {
  return (
    <section class="screen screen-waiting" aria-busy="true">
      <div class="spinner" aria-hidden="true" />
      <h1 class="screen-title">{title}</h1>
      {lead && <p class="screen-lead">{lead}</p>}
      {children && <div class="screen-footer">{children}</div>}
    </section>
  );
}
