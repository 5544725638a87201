// Connects the ssh:* channels to the SSH service ("Open in VS Code", "Copy SSH command").
import type { SshService } from '../services/ssh-service';
import type { IpcRouter } from './router';

export function registerSshHandlers(router: IpcRouter, ssh: SshService): () => void {
  const disposers = [
    router.register('ssh:open-vscode', (request) => ssh.openInVsCode(request)),
    router.register('ssh:command', (request) => ssh.command(request)),
  ];
  return () => {
    for (const dispose of disposers.reverse()) dispose();
  };
}
