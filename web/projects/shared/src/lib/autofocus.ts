import { Directive, ElementRef, afterNextRender, inject } from '@angular/core';

const FIELDS = 'input, select, textarea, button';

/**
 * Moves the keyboard focus to the first field inside this element (or to the element itself) once
 * it is shown: a form that opens on a click (delay, abort, edit) puts the cursor in its first field
 * instead of leaving it on a button that is gone.
 */
@Directive({ selector: '[astroAutofocus]' })
export class Autofocus {
  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    afterNextRender(() => (host.matches(FIELDS) ? host : (host.querySelector<HTMLElement>(FIELDS) ?? host)).focus());
  }
}
