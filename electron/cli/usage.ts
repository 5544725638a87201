// What `airlock --help` prints, and the name under which a launcher runs the plugin: the text the
// program's entry (./entry) answers with before it loads any command.

export const PLUGIN_LAUNCHER_NAME = 'session-manager-plugin';

/** True when the plugin arguments ask to install or uninstall rather than run a session. */
export function isInstallInvocation(args: readonly string[]): boolean {
  return args[0] === '--install' || args[0] === '--uninstall';
}

export const USAGE = `Usage: airlock <command> [arguments]

Commands:
  plugin [ARGS...]   drop-in replacement for session-manager-plugin
                     (aws ssm start-session finds it when it is on PATH under that name)
  plugin --install [DIR] [--force] | --uninstall [DIR]
                     put a session-manager-plugin launcher in DIR (default ~/.local/bin)
  shell TARGET       open a session on an instance (id or Name tag) in this terminal
  ssh TARGET [--user USER] [-- SSH_ARGS...]
                     ssh to an instance over Session Manager, with a key pushed for this login
  ssh-proxy TARGET [PORT]
                     an ssh ProxyCommand over Session Manager (AWS-StartSSHSession)
  ssh-config [--write] TARGET...
                     ssh Host entries for the targets, printed or written (~/.ssh/airlock/config)
  forward TARGET L:R forward local port L to port R on the instance (or L:HOST:R through it)
  cp [-r] SRC DST    copy files to or from an instance (TARGET:PATH), no SSH needed
  socks TARGET [--port N] [--bind ADDR]
                     a SOCKS5 proxy on 127.0.0.1:1080 whose connections leave from the instance
  ls [OPTIONS]       list managed instances across profiles and regions (--help for options)
  sandbox [OPTIONS]  run the Local sandbox: an emulated SSM service and agents on 127.0.0.1
  --version          print the version
  --help             show this help
`;
