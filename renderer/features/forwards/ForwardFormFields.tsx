// The fields of the forward dialog, each bound to the form's state: text fields, the instance
// picker, where the forward goes (a port on the instance or a host behind it), the local port, and
// the bind address with its confirmation when it exposes the forward to the network.
import { useId, useState, type ReactNode } from 'react';
import type { Instance } from '../../../shared/ipc';
import { InstancePicker } from './InstancePicker';
import {
  PORT_PRESETS,
  needsExposeConfirmation,
  validateForwardForm,
  type ForwardForm,
  type ForwardFormField,
} from './form';

type FieldErrors = Partial<Record<ForwardFormField, string>>;

/** The form's values and errors, and the one way to change a field (which clears its error). */
export interface ForwardFormBinding {
  readonly form: ForwardForm;
  readonly errors: FieldErrors;
  readonly change: <K extends ForwardFormField>(field: K, value: ForwardForm[K]) => void;
  /** Checks the whole form, showing the errors; the draft and its instance when it is valid. */
  readonly validate: () =>
    Extract<ReturnType<typeof validateForwardForm>, { ok: true }> | undefined;
}

export function useForwardForm(
  initial: () => ForwardForm,
  instances: readonly Instance[],
): ForwardFormBinding {
  const [form, setForm] = useState<ForwardForm>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  return {
    form,
    errors,
    change: (field, value) => {
      setForm((previous) => ({ ...previous, [field]: value }));
      setErrors((previous) => {
        const { [field]: _gone, ...rest } = previous;
        return rest;
      });
    },
    validate: () => {
      const result = validateForwardForm(form, instances);
      if (!result.ok) setErrors(result.errors);
      return result.ok ? result : undefined;
    },
  };
}

/** What ties a field to its error for screen readers (aria-invalid, aria-describedby). */
function errorAttributes(binding: ForwardFormBinding, field: ForwardFormField, errorId: string) {
  const invalid = binding.errors[field] !== undefined;
  return { 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined };
}

function FieldError(props: { binding: ForwardFormBinding; field: ForwardFormField; id: string }) {
  const message = props.binding.errors[props.field];
  return message ? (
    <span className="field__error" role="alert" id={props.id}>
      {message}
    </span>
  ) : null;
}

type TextField = 'name' | 'group' | 'remoteHost' | 'remotePort' | 'bindAddress';

export function ForwardTextField(props: {
  binding: ForwardFormBinding;
  field: TextField;
  label: string;
  placeholder?: string;
  /** Addresses and ports, in the monospace font. */
  mono?: boolean;
  numeric?: boolean;
  autoFocus?: boolean;
  hint?: ReactNode;
}) {
  const { binding, field } = props;
  const errorId = useId();
  return (
    <label className="field">
      <span className="field__label">{props.label}</span>
      <input
        {...errorAttributes(binding, field, errorId)}
        className={props.mono ? 'field__input mono' : 'field__input'}
        inputMode={props.numeric ? 'numeric' : undefined}
        value={binding.form[field]}
        placeholder={props.placeholder}
        onChange={(event) => binding.change(field, event.target.value)}
        autoFocus={props.autoFocus}
      />
      {props.hint !== undefined ? <span className="field__hint">{props.hint}</span> : null}
      <FieldError binding={binding} field={field} id={errorId} />
    </label>
  );
}

export function InstanceField(props: {
  binding: ForwardFormBinding;
  instances: readonly Instance[];
}) {
  const { binding } = props;
  const errorId = useId();
  const invalid = binding.errors.instanceKey !== undefined;
  return (
    <>
      <InstancePicker
        instances={props.instances}
        value={binding.form.instanceKey}
        onChange={(key) => binding.change('instanceKey', key)}
        invalid={invalid}
        {...(invalid && { describedBy: errorId })}
      />
      <FieldError binding={binding} field="instanceKey" id={errorId} />
    </>
  );
}

/** One click fills the remote port of a common service. */
function PortPresets(props: { binding: ForwardFormBinding }) {
  const { form, change } = props.binding;
  return (
    <div className="forward-dialog__presets" role="group" aria-label="Common ports">
      {PORT_PRESETS.map((preset) => (
        <button
          key={preset.port}
          type="button"
          className="button button--small"
          aria-pressed={form.remotePort.trim() === String(preset.port)}
          onClick={() => change('remotePort', String(preset.port))}
        >
          {preset.label} {preset.port}
        </button>
      ))}
    </div>
  );
}

/** Forward to a port on the instance itself, or to a host the instance reaches (then its name). */
export function RemoteTargetFields(props: { binding: ForwardFormBinding }) {
  const { binding } = props;
  const { form, change } = binding;
  return (
    <>
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
        <label className="forward-dialog__choice">
          <input
            type="radio"
            name="remoteKind"
            checked={form.remoteKind === 'socks'}
            onChange={() => change('remoteKind', 'socks')}
          />
          SOCKS5 proxy through an instance
        </label>
      </fieldset>
      {form.remoteKind === 'remote-host' ? (
        <ForwardTextField
          binding={binding}
          field="remoteHost"
          label="Remote host"
          placeholder="db.internal"
          mono
        />
      ) : null}
      {form.remoteKind === 'socks' ? (
        <p className="field__hint">
          Each connection names its own host and port (SOCKS5 or HTTP CONNECT); host names are
          resolved on the instance.
        </p>
      ) : (
        <>
          <ForwardTextField
            binding={binding}
            field="remotePort"
            label="Remote port"
            placeholder="5432"
            mono
            numeric
          />
          <PortPresets binding={binding} />
        </>
      )}
    </>
  );
}

export function LocalPortField(props: { binding: ForwardFormBinding }) {
  const { form, change } = props.binding;
  const errorId = useId();
  return (
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
          {...errorAttributes(props.binding, 'localPort', errorId)}
          className="field__input mono"
          aria-label="Local port"
          inputMode="numeric"
          value={form.localPort}
          placeholder="15432"
          onChange={(event) => change('localPort', event.target.value)}
        />
      )}
      <FieldError binding={props.binding} field="localPort" id={errorId} />
    </div>
  );
}

/** The bind address; one that other computers can reach needs the user's explicit consent. */
export function BindAddressFields(props: { binding: ForwardFormBinding }) {
  const { binding } = props;
  const { form, change } = binding;
  const errorId = useId();
  return (
    <>
      <ForwardTextField
        binding={binding}
        field="bindAddress"
        label="Bind address"
        mono
        hint="127.0.0.1 (or another 127.x.x.x) keeps the forward on this computer."
      />
      {needsExposeConfirmation(form.bindAddress) ? (
        <div className="banner banner--warning forward-dialog__risk">
          <label className="forward-dialog__choice">
            <input
              {...errorAttributes(binding, 'exposeConfirmed', errorId)}
              type="checkbox"
              checked={form.exposeConfirmed}
              onChange={(event) => change('exposeConfirmed', event.target.checked)}
            />
            I understand that binding to {form.bindAddress.trim()} lets other computers on my
            network (same Wi-Fi, LAN or VPN) connect through this forward to the instance with my
            AWS permissions.
          </label>
          <FieldError binding={binding} field="exposeConfirmed" id={errorId} />
        </div>
      ) : null}
    </>
  );
}
