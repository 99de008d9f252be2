// Create, edit or copy a stream. The config fields come from the task's JSON Schema (GET /tasks), the
// task's example fills a new stream, and the API's 400 field issues appear next to their fields.
import { ApiFailure, api } from './api.mjs';
import { h, loading, replace } from './dom.mjs';
import { clearIssues, field, schemaForm, showFormError, showIssues } from './forms.mjs';

const PRESETS = ['5min', '15min', '30min', '1hour', '6hours', '12hours', 'daily'];
const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'];

function frequencyFields(frequency) {
  const choice = h(
    'select',
    { name: 'frequency' },
    h('option', { value: '' }, 'only when run by hand'),
    PRESETS.map((preset) => h('option', { value: preset }, preset === 'daily' ? 'daily' : `every ${preset}`)),
    h('option', { value: 'cron' }, 'a cron expression'),
  );
  const cron = h('input', { type: 'text', name: 'frequency.cron', placeholder: '0 7 * * 1-5' });
  const timezone = h('input', { type: 'text', name: 'frequency.timezone', placeholder: 'UTC' });
  const cronBox = h(
    'div',
    { class: 'row' },
    field('frequency.cron', 'cron', cron, {
      help: 'Five fields (minute hour day month weekday), as Temporal reads them.',
    }),
    field('frequency.timezone', 'time zone', timezone, { help: 'e.g. Europe/Berlin' }),
  );
  if (frequency && typeof frequency === 'object') {
    choice.value = 'cron';
    cron.value = frequency.cron ?? '';
    timezone.value = frequency.timezone ?? '';
  } else choice.value = frequency ?? '';
  const sync = () => (cronBox.hidden = choice.value !== 'cron');
  choice.addEventListener('change', sync);
  sync();
  return {
    elements: [
      field('frequency', 'Schedule', choice, {
        help: 'Presets are spread over their period per stream; overlapping runs are skipped by default.',
      }),
      cronBox,
    ],
    read() {
      if (choice.value === '') return null;
      if (choice.value !== 'cron') return choice.value;
      return { cron: cron.value.trim(), ...(timezone.value.trim() ? { timezone: timezone.value.trim() } : {}) };
    },
  };
}

export async function streamFormPage(main, { mode, id, params }) {
  replace(main, loading('the form'));
  const [{ tasks }, stream] = await Promise.all([
    api('GET', '/tasks'),
    id ? api('GET', `/streams/${encodeURIComponent(id)}`) : Promise.resolve(undefined),
  ]);
  const editing = mode === 'edit';
  const title = editing ? `Edit ${stream.name}` : mode === 'copy' ? `Copy of ${stream.name}` : 'New stream';

  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200 });
  name.value = editing ? stream.name : mode === 'copy' ? `${stream.name} (copy)` : '';
  const type = h(
    'select',
    { name: 'type', disabled: editing },
    tasks.map((task) => h('option', { value: task.type }, `${task.title} (${task.type})`)),
  );
  type.value = stream?.taskType ?? params.type ?? tasks[0].type;
  const overlap = h(
    'select',
    { name: 'overlapPolicy' },
    OVERLAP_POLICIES.map((policy) => h('option', { value: policy }, policy)),
  );
  overlap.value = stream?.overlapPolicy ?? 'skip';
  const frequency = frequencyFields(stream?.frequency ?? null);

  const description = h('p', { class: 'help' });
  const configBox = h('fieldset', { class: 'config' });
  let config;
  const showTask = (initial) => {
    const task = tasks.find((candidate) => candidate.type === type.value);
    replace(description, task.description);
    config = schemaForm(task.configSchema, initial ?? task.example);
    replace(configBox, h('legend', null, `${task.title}: config`), config.fields);
  };
  // A new stream starts from the task's example; an edit or a copy from the stream's own config.
  showTask(stream?.config);
  type.addEventListener('change', () => showTask());

  const submit = h('button', { type: 'submit', class: 'primary' }, editing ? 'Save changes' : 'Create stream');
  const form = h(
    'form',
    { class: 'stream-form', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', hidden: true }),
    field('name', 'Name', name, { required: true, help: 'How people find the stream; unique.' }),
    field('type', 'Task', type, {
      required: true,
      help: editing ? 'A stream keeps its task for life; copy it to change the task.' : null,
    }),
    description,
    frequency.elements,
    field('overlapPolicy', 'When a scheduled run finds the last one still going', overlap),
    configBox,
    h(
      'div',
      { class: 'actions' },
      submit,
      h('a', { class: 'button', href: stream ? `#/streams/${encodeURIComponent(stream.id)}` : '#/streams' }, 'Cancel'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    const { value: configValue, issues } = config.read();
    if (issues.length > 0) return void showIssues(form, issues, 'Fix these first:');
    const body = { name: name.value, config: configValue, frequency: frequency.read(), overlapPolicy: overlap.value };
    if (!editing) {
      body.type = type.value;
      if (body.frequency === null) delete body.frequency;
    }
    submit.disabled = true;
    submit.textContent = 'Saving…';
    try {
      const saved = editing
        ? await api('PATCH', `/streams/${encodeURIComponent(stream.id)}`, body)
        : await api('POST', '/streams', body);
      location.hash = `#/streams/${encodeURIComponent(saved.id)}`;
    } catch (error) {
      if (error instanceof ApiFailure && error.issues.length > 0) showIssues(form, error.issues);
      else if (error instanceof ApiFailure && error.code === 'STREAM_NAME_TAKEN')
        showIssues(form, [{ path: 'body.name', message: error.message }]);
      else showFormError(form, error.message);
    } finally {
      submit.disabled = false;
      submit.textContent = editing ? 'Save changes' : 'Create stream';
    }
  });
  replace(main, h('h1', null, title), form);
}
