// The create/edit dialog of a port forward: instance from the inventory, remote port or host and
// port, local port or automatic, bind address (loopback unless the user confirms the risk), and
// "Save as profile".
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ForwardView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import {
  EMPTY_FORM,
  formOf,
  needsExposeConfirmation,
  validateForwardForm,
  type ForwardForm,
  type ForwardFormField,
} from './form';
import { profileFromDraft } from './profile-mapping';
import { Dialog } from '../../ui/Dialog';

export function ForwardDialog(props: { forward?: ForwardView; onClose: () => void }) {
  const { forwards, inventory } = useServices();
  const instances = useStore(inventory, (state) => state.instances);
  const { forward, onClose } = props;
  const [form, setForm] = useState<ForwardForm>(() =>
    forward ? formOf(forward, inventory.getState().instances) : EMPTY_FORM,
  );
  const [errors, setErrors] = useState<Partial<Record<ForwardFormField, string>>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (inventory.getState().load === 'idle') void inventory.getState().fetch();
  }, [inventory]);

  const change = <K extends ForwardFormField>(field: K, value: ForwardForm[K]) => {
    setForm((previous) => ({ ...previous, [field]: value }));
    setErrors((previous) => {
      const { [field]: _gone, ...rest } = previous;
      return rest;
    });
  };

  const validated = () => {
    const result = validateForwardForm(form, instances);
    if (!result.ok) setErrors(result.errors);
    return result.ok ? result : undefined;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const valid = validated();
    if (!valid) return;
    setSaving(true);
    const message = await forwards.getState().save(valid.draft, forward?.id);
    setSaving(false);
    if (message === undefined) onClose();
    else setFailure(message);
  };

  const saveProfile = async () => {
    const valid = validated();
    if (!valid) return;
    const message = await forwards
      .getState()
      .saveProfile(profileFromDraft(valid.draft, valid.instance.region));
    setFailure(message);
  };

  const fieldError = (field: ForwardFormField) =>
    errors[field] ? (
      <span className="field__error" role="alert">
        {errors[field]}
      </span>
    ) : null;

  const exposed = needsExposeConfirmation(form.bindAddress);

  return (
    <Dialog
      title={forward ? `Edit ${forward.name}` : 'New port forward'}
      className="forward-dialog"
      onCancel={onClose}
      closeOnBackdrop
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input
          className="field__input"
          value={form.name}
          onChange={(event) => change('name', event.target.value)}
          autoFocus
        />
        {fieldError('name')}
      </label>
      <label className="field">
        <span className="field__label">Group (optional)</span>
        <input
          className="field__input"
          value={form.group}
          placeholder="staging DBs"
          onChange={(event) => change('group', event.target.value)}
        />
        {fieldError('group')}
      </label>
      <label className="field">
        <span className="field__label">Instance</span>
        <select
          className="field__input"
          value={form.instanceKey}
          onChange={(event) => change('instanceKey', event.target.value)}
        >
          <option value="">Choose an instance…</option>
          {instances.map((instance) => (
            <option key={instance.key} value={instance.key}>
              {instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId} ·{' '}
              {instance.region}
              {instance.reachability.canStartSession ? '' : ' · offline'}
            </option>
          ))}
        </select>
        {fieldError('instanceKey')}
      </label>
      <fieldset className="field forward-dialog__remote">
        <legend className="field__label">Forward to</legend>
        <label className="forward-dialog__choice">
          <input
            type="radio"
            name="remoteKind"
            checked={form.remoteKind === 'instance-port'}
            onChange={() => change('remoteKind', 'instance-port')}
          />
          A port on the instance
        </label>
        <label className="forward-dialog__choice">
          <input
            type="radio"
            name="remoteKind"
            checked={form.remoteKind === 'remote-host'}
            onChange={() => change('remoteKind', 'remote-host')}
          />
          A host reached through the instance
        </label>
      </fieldset>
      {form.remoteKind === 'remote-host' ? (
        <label className="field">
          <span className="field__label">Remote host</span>
          <input
            className="field__input mono"
            value={form.remoteHost}
            placeholder="db.internal"
            onChange={(event) => change('remoteHost', event.target.value)}
          />
          {fieldError('remoteHost')}
        </label>
      ) : null}
      <label className="field">
        <span className="field__label">Remote port</span>
        <input
          className="field__input mono"
          inputMode="numeric"
          value={form.remotePort}
          placeholder="5432"
          onChange={(event) => change('remotePort', event.target.value)}
        />
        {fieldError('remotePort')}
      </label>
      <div className="field">
        <span className="field__label">Local port</span>
        <label className="forward-dialog__choice">
          <input
            type="checkbox"
            checked={form.localPortAuto}
            onChange={(event) => change('localPortAuto', event.target.checked)}
          />
          Pick a free port automatically
        </label>
        {form.localPortAuto ? null : (
          <input
            className="field__input mono"
            aria-label="Local port"
            inputMode="numeric"
            value={form.localPort}
            placeholder="15432"
            onChange={(event) => change('localPort', event.target.value)}
          />
        )}
        {fieldError('localPort')}
      </div>
      <label className="field">
        <span className="field__label">Bind address</span>
        <input
          className="field__input mono"
          value={form.bindAddress}
          onChange={(event) => change('bindAddress', event.target.value)}
        />
        <span className="field__hint">
          127.0.0.1 (or another 127.x.x.x) keeps the forward on this computer.
        </span>
        {fieldError('bindAddress')}
      </label>
      {exposed ? (
        <div className="banner banner--warning forward-dialog__risk">
          <label className="forward-dialog__choice">
            <input
              type="checkbox"
              checked={form.exposeConfirmed}
              onChange={(event) => change('exposeConfirmed', event.target.checked)}
            />
            I understand that binding to {form.bindAddress.trim()} lets other computers on my
            network (same Wi-Fi, LAN or VPN) connect through this forward to the instance with my
            AWS permissions.
          </label>
          {fieldError('exposeConfirmed')}
        </div>
      ) : null}
      <label className="forward-dialog__choice">
        <input
          type="checkbox"
          checked={form.restartEndedSessions}
          onChange={(event) => change('restartEndedSessions', event.target.checked)}
        />
        Start a new session when Session Manager ends one for idle time or maximum duration. This
        overrides your account&apos;s session limits; each restart is logged. Never after a session
        is terminated.
      </label>
      {failure ? (
        <p className="banner banner--error" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => void saveProfile()}>
          Save as profile
        </button>
        <span className="toolbar__spacer" />
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={saving}>
          {forward ? 'Save' : 'Create forward'}
        </button>
      </div>
    </Dialog>
  );
}
