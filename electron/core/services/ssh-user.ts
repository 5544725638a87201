// Which OS user SSH logs in as, one rule for `airlock ssh`, `ssh-config` and the app. The most
// specific statement wins: the user's own `--user`, then the instance's `airlock:ssh-user` tag
// (whoever runs the instance knows its AMI's user), then the user's general defaults, the
// AIRLOCK_SSH_USER variable before the profile's `airlock_ssh_user` setting (environment before
// config file, as the AWS CLI orders its own settings), else `ec2-user`.

/** The OS user when nothing names one (Amazon Linux's). */
export const DEFAULT_SSH_USER = 'ec2-user';
/** The tag rule: an instance tag with this key names the OS user to log in as. */
export const SSH_USER_TAG = 'airlock:ssh-user';
/** The per-profile setting in the shared config file (`[profile NAME]` in ~/.aws/config). */
export const SSH_USER_SETTING = 'airlock_ssh_user';
/** The environment variable for a user-wide default. */
export const SSH_USER_VARIABLE = 'AIRLOCK_SSH_USER';

export type SshUserOrigin = 'option' | 'tag' | 'variable' | 'profile' | 'default';

export interface SshUserStatements {
  /** `--user`, typed by the user: taken as it is. */
  readonly option?: string | undefined;
  readonly tag?: string | undefined;
  readonly variable?: string | undefined;
  readonly profile?: string | undefined;
}

/**
 * A POSIX login name, as useradd accepts it. Tags and config values are checked against it
 * because they end up in ssh's arguments and config lines; a value that fails is passed over.
 */
export function isLoginName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9@._-]{0,31}$/.test(name);
}

export function chooseSshUser(statements: SshUserStatements): {
  user: string;
  origin: SshUserOrigin;
} {
  const option = statements.option?.trim();
  if (option !== undefined && option !== '') return { user: option, origin: 'option' };
  for (const origin of ['tag', 'variable', 'profile'] as const) {
    const value = statements[origin]?.trim();
    if (value !== undefined && isLoginName(value)) return { user: value, origin };
  }
  return { user: DEFAULT_SSH_USER, origin: 'default' };
}

/** The value of the `airlock:ssh-user` tag among `tags`, in either the SDK's or the app's shape. */
export function sshUserTagOf(
  tags: readonly {
    readonly key?: string | undefined;
    readonly Key?: string | undefined;
    readonly value?: string | undefined;
    readonly Value?: string | undefined;
  }[],
): string | undefined {
  const tag = tags.find((candidate) => (candidate.key ?? candidate.Key) === SSH_USER_TAG);
  return tag?.value ?? tag?.Value;
}
