// Dialog to start a terminal with a chosen Session document and its parameters (for example
// AWS-StartInteractiveCommand with a command), listing the documents main offers for the instance.
import { useEffect, useState, type FormEvent } from 'react';
import type { DocumentName } from '../../../shared/domain';
import type { Instance, SessionDocument, SessionParameters } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Dialog, DialogActions } from '../../ui/Dialog';

export interface StartDocumentDialogProps {
  readonly instance: Instance;
  readonly onCancel: () => void;
  /** Called without a document for the default shell: it starts naming no document, as the CLI does. */
  readonly onStart: (
    document:
      | {
          name: DocumentName;
          label: string;
          parameters: SessionParameters;
        }
      | undefined,
  ) => void;
}

type Loaded =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready'; readonly documents: readonly SessionDocument[] };

const GROUPS: readonly { origin: SessionDocument['origin']; label: string }[] = [
  { origin: 'account', label: "This account's documents" },
  { origin: 'shared', label: 'Shared with this account' },
  { origin: 'amazon', label: 'AWS documents' },
];

function optionText(doc: SessionDocument): string {
  if (doc.isDefault) return `${doc.label} (the session preferences' shell)`;
  if (doc.ownerAccountId !== undefined) return `${doc.label} (shared by ${doc.ownerAccountId})`;
  return doc.label === doc.name ? doc.label : `${doc.label} (${doc.name})`;
}

function preferredDocument(documents: readonly SessionDocument[]): SessionDocument | undefined {
  // The dialog exists to pick something other than the plain shell, so suggest a command first.
  return (
    documents.find((doc) => doc.sessionType === 'InteractiveCommands') ??
    documents.find((doc) => !doc.isDefault) ??
    documents[0]
  );
}

export function StartDocumentDialog({ instance, onCancel, onStart }: StartDocumentDialogProps) {
  const { api } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [documentName, setDocumentName] = useState<string>('');
  const [values, setValues] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    void api
      .invoke('documents:list', { sourceId: instance.sourceId, region: instance.region })
      .then((result) => {
        if (!live) return;
        if (!result.ok) {
          setLoaded({ state: 'failed', message: result.error.message });
          return;
        }
        setLoaded({ state: 'ready', documents: result.value.documents });
        const preferred = preferredDocument(result.value.documents);
        if (preferred) setDocumentName(preferred.name);
      });
    return () => {
      live = false;
    };
  }, [api, instance.sourceId, instance.region]);

  const documents = loaded.state === 'ready' ? loaded.documents : [];
  const document = documents.find((doc) => doc.name === documentName);
  const missing = document
    ? document.parameters.filter(
        (parameter) =>
          parameter.required &&
          (values[parameter.name] ?? parameter.defaultValue ?? '').trim() === '',
      )
    : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!document || missing.length > 0) return;
    const parameters: Record<string, string[]> = {};
    for (const parameter of document.parameters) {
      const value = values[parameter.name];
      if (value !== undefined && value !== '') parameters[parameter.name] = [value];
    }
    onStart(
      document.isDefault ? undefined : { name: document.name, label: document.label, parameters },
    );
  };

  return (
    <Dialog
      title={<>Start a session on {instance.name || instance.instanceId}</>}
      onCancel={onCancel}
      closeOnBackdrop
      onSubmit={submit}
    >
      {loaded.state === 'loading' ? <p className="muted">Loading Session documents…</p> : null}
      {loaded.state === 'failed' ? (
        <p className="banner banner--error" role="alert">
          Could not list Session documents: {loaded.message}
        </p>
      ) : null}
      {loaded.state === 'ready' && documents.length === 0 ? (
        <p className="muted">No Session documents are available for this instance.</p>
      ) : null}
      {documents.length > 0 ? (
        <label className="field">
          <span className="field__label">Session document</span>
          <select
            className="field__input"
            value={documentName}
            onChange={(event) => {
              setDocumentName(event.target.value);
              setValues({});
            }}
          >
            {GROUPS.map(({ origin, label }) => {
              const members = documents.filter((doc) => doc.origin === origin);
              return members.length === 0 ? null : (
                <optgroup key={origin} label={label}>
                  {members.map((doc) => (
                    <option key={doc.name} value={doc.name}>
                      {optionText(doc)}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </select>
        </label>
      ) : null}
      {document ? <p className="dialog__description">{document.description}</p> : null}
      {document?.parameters.map((parameter, index) => (
        <label className="field" key={parameter.name}>
          <span className="field__label">
            {parameter.name}
            {parameter.required ? <span className="field__required"> (required)</span> : null}
          </span>
          <input
            className="field__input mono"
            type="text"
            autoFocus={index === 0}
            spellCheck={false}
            placeholder={parameter.defaultValue ?? ''}
            value={values[parameter.name] ?? ''}
            onChange={(event) =>
              setValues((current) => ({ ...current, [parameter.name]: event.target.value }))
            }
          />
          {parameter.description ? (
            <span className="field__hint">{parameter.description}</span>
          ) : null}
        </label>
      ))}
      <DialogActions
        onCancel={onCancel}
        submit="Start session"
        submitDisabled={!document || missing.length > 0}
        submitTitle={
          missing.length > 0 ? `Fill in ${missing.map((p) => p.name).join(', ')}` : undefined
        }
      />
    </Dialog>
  );
}
