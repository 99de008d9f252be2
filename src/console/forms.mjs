// Form fields, and the API's 400 field issues (`body.config.max_items`) shown next to the field they name.
import { h, replace } from './dom.mjs';

/**
 * A labelled field. `path` is the field's place in the request body (`config.max_items`), which is how
 * issues find it.
 */
export function field(path, label, control, { help, required } = {}) {
  const id = `field-${path.replace(/[^\w]+/g, '-')}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  control.setAttribute('aria-describedby', `${id}-error`);
  return h(
    'div',
    { class: 'field', dataset: { path } },
    h('label', { for: id }, label, required ? h('span', { class: 'required', title: 'required' }, ' *') : null),
    control,
    help ? h('p', { class: 'help' }, help) : null,
    error,
  );
}

export function clearIssues(form) {
  for (const wrapper of form.querySelectorAll('.field.invalid')) {
    wrapper.classList.remove('invalid');
    const error = wrapper.querySelector('.field-error');
    error.hidden = true;
    error.textContent = '';
    wrapper.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  }
  const summary = form.querySelector('.form-errors');
  if (summary) summary.hidden = true;
}

/**
 * Puts each issue next to the field its path names (the longest field path that is a prefix of it, so
 * `body.config.keywords.2` lands on the keywords field). Issues no field claims go in the summary at the
 * top of the form. Returns how many landed on a field.
 */
export function showIssues(form, issues, message = 'The API refused this:') {
  clearIssues(form);
  const wrappers = [...form.querySelectorAll('.field[data-path]')];
  const leftover = [];
  let placed = 0;
  for (const issue of issues) {
    const path = String(issue.path ?? '').replace(/^body\.?/, '');
    const wrapper = wrappers
      .filter((candidate) => path === candidate.dataset.path || path.startsWith(`${candidate.dataset.path}.`))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    if (!wrapper) {
      leftover.push(issue);
      continue;
    }
    const rest = path.slice(wrapper.dataset.path.length + 1);
    const error = wrapper.querySelector('.field-error');
    error.textContent = [error.textContent, rest ? `${rest}: ${issue.message}` : issue.message]
      .filter(Boolean)
      .join('; ');
    error.hidden = false;
    wrapper.classList.add('invalid');
    wrapper.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    placed += 1;
  }
  const summary = form.querySelector('.form-errors');
  if (summary && (leftover.length > 0 || placed === 0)) {
    replace(
      summary,
      h('strong', null, message),
      leftover.length > 0
        ? h(
            'ul',
            null,
            leftover.map((issue) => h('li', null, issue.path ? `${issue.path}: ${issue.message}` : issue.message)),
          )
        : null,
    );
    summary.hidden = false;
  }
  form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea')?.focus();
  return placed;
}

/** The form's summary box, for failures that name no field (a 409, a 503, the network). */
export function showFormError(form, text) {
  const summary = form.querySelector('.form-errors');
  replace(summary, h('strong', null, text));
  summary.hidden = false;
}

/** What kind of control a JSON Schema property gets. */
export function controlKind(property) {
  if (Array.isArray(property.enum)) return 'enum';
  if (property.type === 'boolean') return 'boolean';
  if (property.type === 'integer' || property.type === 'number') return 'number';
  // Long free text gets a text area; an address stays one line however long it may be.
  if (property.type === 'string')
    return property.format !== 'uri' && (property.maxLength ?? 0) > 1000 ? 'text' : 'string';
  if (property.type === 'array' && property.items?.type === 'string' && !property.items.enum) return 'lines';
  return 'json';
}

const PRESENT = (value) => value !== undefined && value !== null;

/**
 * A form for an object JSON Schema (what zod's toJSONSchema gives a task's config): one field per
 * property, its description as help, the initial values filled in, everything else left empty so the
 * API applies its defaults. The API stays the judge: values are sent as typed, and its 400 names the field.
 */
export function schemaForm(schema, initial = {}, prefix = 'config') {
  const required = new Set(schema.required ?? []);
  const readers = [];
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const path = `${prefix}.${name}`;
    const kind = controlKind(property);
    const start = initial?.[name];
    const help = [
      property.description,
      PRESENT(property.default) ? `Default: ${JSON.stringify(property.default)}.` : null,
    ]
      .filter(Boolean)
      .join(' ');
    let control;
    let read;
    if (kind === 'boolean') {
      const fallback = property.default ?? false;
      control = h('input', { type: 'checkbox', checked: PRESENT(start) ? Boolean(start) : fallback });
      // Unchanged from the default and not set before: left out, so the default stays the API's.
      read = () => (control.checked !== fallback || PRESENT(start) ? control.checked : undefined);
    } else if (kind === 'enum') {
      control = h(
        'select',
        null,
        h('option', { value: '' }, PRESENT(property.default) ? `(default: ${property.default})` : '(choose)'),
        property.enum.map((option) => h('option', { value: String(option) }, String(option))),
      );
      control.value = PRESENT(start) ? String(start) : '';
      read = () =>
        control.value === '' ? undefined : property.enum.find((option) => String(option) === control.value);
    } else if (kind === 'number') {
      control = h('input', {
        type: 'number',
        step: property.type === 'integer' ? '1' : 'any',
        min: property.minimum,
        max: property.maximum,
        placeholder: PRESENT(property.default) ? String(property.default) : '',
        value: PRESENT(start) ? String(start) : '',
      });
      read = () => (control.value.trim() === '' ? undefined : Number(control.value));
    } else if (kind === 'string' || kind === 'text') {
      const long = kind === 'text' || /prompt|template/.test(name);
      control = long
        ? h('textarea', { rows: 5, value: PRESENT(start) ? String(start) : '' })
        : h('input', { type: property.format === 'uri' ? 'url' : 'text', value: PRESENT(start) ? String(start) : '' });
      if (PRESENT(property.default)) control.placeholder = String(property.default);
      read = () => (control.value === '' ? undefined : control.value);
    } else if (kind === 'lines') {
      control = h('textarea', { rows: 4, value: Array.isArray(start) ? start.join('\n') : '' });
      control.placeholder = 'one per line';
      read = () => {
        const lines = control.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        return lines.length === 0 ? undefined : lines;
      };
    } else {
      control = h('textarea', { rows: 6, class: 'json', value: PRESENT(start) ? JSON.stringify(start, null, 2) : '' });
      control.placeholder = 'JSON';
      read = () => {
        if (control.value.trim() === '') return undefined;
        try {
          return JSON.parse(control.value);
        } catch (error) {
          throw { path, message: `not valid JSON (${error.message})` };
        }
      };
    }
    control.name = path;
    readers.push([name, path, read]);
    return field(path, name, control, { help, required: required.has(name) });
  });
  return {
    fields,
    /** The config object, and the issues found before sending (only JSON that does not parse). */
    read() {
      const value = {};
      const issues = [];
      for (const [name, path, read] of readers) {
        try {
          const fieldValue = read();
          if (fieldValue !== undefined) value[name] = fieldValue;
        } catch (issue) {
          issues.push(issue.path ? issue : { path, message: String(issue) });
        }
      }
      return { value, issues };
    },
  };
}
