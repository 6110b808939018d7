import { html } from 'hono/html';
import type { Markup } from '../layout.ts';

/**
 * A form's values and errors keyed by the API's own field paths (`client.cui`, `lines[0].sku`):
 * the inputs are named by them, so the domain's 400 details mark the very input they name.
 */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const emptyForm = (): FormState => ({ values: {}, errors: {} });

/** The input's id: the path with its punctuation made safe for a selector. */
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function input(f: FormState, name: string, label: string, o: { type?: string; placeholder?: string; list?: string; autocomplete?: string; inputmode?: string } = {}): Markup {
  const id = fieldId(name);
  const err = f.errors[name];
  return html`<div class="field"><label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="${o.type ?? 'text'}" value="${f.values[name] ?? ''}" ${o.placeholder ? html`placeholder="${o.placeholder}"` : ''} ${o.list ? html`list="${o.list}"` : ''} autocomplete="${o.autocomplete ?? 'off'}" ${o.inputmode ? html`inputmode="${o.inputmode}"` : ''} ${err ? html`aria-invalid="true" aria-describedby="${id}-err"` : ''}>
${err ? html`<div class="field-error" id="${id}-err" data-error-for="${name}">${err}</div>` : ''}</div>`;
}

export function checkbox(f: FormState, name: string, label: string): Markup {
  const id = fieldId(name);
  return html`<div class="check-row"><label for="${id}"><input id="${id}" type="checkbox" name="${name}" value="1" ${f.values[name] ? 'checked' : ''}> ${label}</label>
${f.errors[name] ? html`<div class="field-error" data-error-for="${name}">${f.errors[name]}</div>` : ''}</div>`;
}

export function select(f: FormState, name: string, label: string, options: Array<[value: string, label: string]>): Markup {
  const id = fieldId(name);
  const err = f.errors[name];
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${name}" ${err ? 'aria-invalid="true"' : ''}>${options.map(([v, l]) => html`<option value="${v}" ${f.values[name] === v ? 'selected' : ''}>${l}</option>`)}</select>
${err ? html`<div class="field-error" data-error-for="${name}">${err}</div>` : ''}</div>`;
}

/** The errors no input shows (a path the form has no field for), so none is lost. */
export function otherErrors(f: FormState, shown: (path: string) => boolean): Markup {
  const rest = Object.entries(f.errors).filter(([p]) => !shown(p));
  return rest.length === 0 ? html`` : html`<ul class="alert error" role="alert" data-form-errors>${rest.map(([p, r]) => html`<li>${p}: ${r}</li>`)}</ul>`;
}

/** Address inputs under a prefix, in the order a Romanian address is written. */
export function addressFields(f: FormState, prefix: string, t: (k: 'firstName' | 'lastName' | 'phone' | 'street' | 'address2' | 'locality' | 'county' | 'postcode') => string, withPerson: boolean): Markup {
  return html`${withPerson ? html`<div class="grid2">${input(f, `${prefix}.firstName`, t('firstName'))}${input(f, `${prefix}.lastName`, t('lastName'))}</div>${input(f, `${prefix}.phone`, t('phone'), { type: 'tel' })}` : ''}
${input(f, `${prefix}.address1`, t('street'), { autocomplete: 'address-line1' })}
${input(f, `${prefix}.address2`, t('address2'), { autocomplete: 'address-line2' })}
<div class="grid3">${input(f, `${prefix}.city`, t('locality'))}${input(f, `${prefix}.province`, t('county'))}${input(f, `${prefix}.postcode`, t('postcode'), { inputmode: 'numeric' })}</div>`;
}
