// The create/edit dialog of a port forward: instance from a searchable picker, remote port (with
// presets for common services) or host and port, local port or automatic, bind address (loopback
// unless the user confirms the risk), start on launch, and "Save as profile". The name may be left
// empty: it is then `instance-name:port`. Creating saves the forward and starts it at once.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ForwardView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Dialog, DialogActions } from '../../ui/Dialog';
import {
  BindAddressFields,
  ForwardTextField,
  InstanceField,
  LocalPortField,
  RemoteTargetFields,
  useForwardForm,
} from './ForwardFormFields';
import { EMPTY_FORM, defaultForwardName, formOf } from './form';
import { profileFromDraft } from './profile-mapping';

export function ForwardDialog(props: { forward?: ForwardView; onClose: () => void }) {
  const { forwards, inventory } = useServices();
  const instances = useStore(inventory, (state) => state.instances);
  const { forward, onClose } = props;
  const binding = useForwardForm(
    () => (forward ? formOf(forward, inventory.getState().instances) : EMPTY_FORM),
    instances,
  );
  const { form, change } = binding;
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (inventory.getState().load === 'idle') void inventory.getState().fetch();
  }, [inventory]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const valid = binding.validate();
    if (!valid) return;
    setSaving(true);
    const message = await forwards.getState().save(valid.draft, forward?.id);
    setSaving(false);
    if (message === undefined) onClose();
    else setFailure(message);
  };

  const saveProfile = async () => {
    const valid = binding.validate();
    if (!valid) return;
    const message = await forwards
      .getState()
      .saveProfile(profileFromDraft(valid.draft, valid.instance.region));
    setFailure(message);
  };

  const nameHint = defaultForwardName(
    instances.find((instance) => instance.key === form.instanceKey),
    form.remotePort,
  );

  return (
    <Dialog
      title={forward ? `Edit ${forward.name}` : 'New port forward'}
      className="forward-dialog"
      onCancel={onClose}
      closeOnBackdrop
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <ForwardTextField
        binding={binding}
        field="name"
        label="Name (optional)"
        placeholder={nameHint ?? 'instance-name:port'}
        hint={nameHint === undefined ? undefined : `Left empty, the forward is named ${nameHint}.`}
        autoFocus
      />
      <ForwardTextField
        binding={binding}
        field="group"
        label="Group (optional)"
        placeholder="staging DBs"
      />
      <InstanceField binding={binding} instances={instances} />
      <RemoteTargetFields binding={binding} />
      <LocalPortField binding={binding} />
      <BindAddressFields binding={binding} />
      <label className="forward-dialog__choice">
        <input
          type="checkbox"
          checked={form.startOnLaunch}
          onChange={(event) => change('startOnLaunch', event.target.checked)}
        />
        Start this forward whenever Airlock starts
      </label>
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
      <DialogActions
        onCancel={onClose}
        submit={forward ? 'Save' : 'Create and start'}
        submitDisabled={saving}
      >
        <button type="button" className="button" onClick={() => void saveProfile()}>
          Save as profile
        </button>
        <span className="toolbar__spacer" />
      </DialogActions>
    </Dialog>
  );
}
