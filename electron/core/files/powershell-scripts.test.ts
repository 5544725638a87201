import { describe, expect, it } from 'vitest';
import { CONTROL_PREFIX } from './posix-scripts';
import {
  decodePowershellCommand,
  powershellCommand,
  powershellReceiverScript,
  powershellSenderScript,
  psQuote,
} from './powershell-scripts';
import { platformOfType, remoteScripts } from './remote-scripts';

describe('PowerShell quoting', () => {
  it('keeps spaces, double quotes, $ and backticks literal inside single quotes', () => {
    expect(psQuote('C:\\My Files\\a "b" $env:USERNAME `n.txt')).toBe(
      `'C:\\My Files\\a "b" $env:USERNAME \`n.txt'`,
    );
  });

  it('doubles every character PowerShell takes for a single quote', () => {
    expect(psQuote("it's")).toBe("'it''s'");
    expect(psQuote('\u2018a\u2019 \u201ab\u201b')).toBe(
      "'\u2018\u2018a\u2019\u2019 \u201a\u201ab\u201b\u201b'",
    );
    expect(psQuote('')).toBe("''");
  });

  it('passes non-ASCII names through unchanged', () => {
    expect(psQuote('D:\\données\\日本語 ü.bin')).toBe("'D:\\données\\日本語 ü.bin'");
  });
});

describe('PowerShell command line', () => {
  it('is powershell.exe with the script as UTF-16LE base64', () => {
    const command = powershellCommand("Write-Output 'é'");
    expect(command).toBe(
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from("Write-Output 'é'", 'utf16le').toString('base64')}`,
    );
    expect(command).toBe(
      'powershell.exe -NoProfile -NonInteractive -EncodedCommand VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIAAnAOkAJwA=',
    );
    expect(decodePowershellCommand(command)).toBe("Write-Output 'é'");
  });

  it('stays well under the 8191 characters a cmd.exe command line may hold', () => {
    expect(remoteScripts('windows').receiver.length).toBeLessThan(8191);
    expect(remoteScripts('windows').sender('C:\\x', true).length).toBeLessThan(8191);
  });
});

describe('PowerShell sender', () => {
  it('names the path once, quoted, with ~ expanded by the script', () => {
    const path = "C:\\Users\\o'brien\\My $Docs\\`weird` ü.txt";
    const script = powershellSenderScript(path, false);
    expect(script).toContain(`  $q = Home 'C:\\Users\\o''brien\\My $Docs\\\`weird\` ü.txt'\n`);
    expect(script.split(path).length).toBe(1);
    expect(decodePowershellCommand(remoteScripts('windows').sender(path, false))).toBe(script);
  });

  it('refuses a directory without -r and walks it with -r', () => {
    expect(powershellSenderScript('C:\\d', false)).toContain(
      "Fail ($q + ': Is a directory (use -r to copy directories)'); exit 1",
    );
    const recursive = powershellSenderScript('C:\\d', true);
    expect(recursive).toContain('Get-ChildItem -LiteralPath $item.FullName -Recurse -Force');
    expect(recursive).not.toContain('use -r');
  });

  it('prints the same control lines as the POSIX sender, base64 in chunks of whole quanta', () => {
    const script = powershellSenderScript('C:\\f', false);
    expect(script).toContain(`$out.Write('${CONTROL_PREFIX}' + $t + [char]10)`);
    for (const line of ["Say ('total ' +", "Say ('file ' +", "Say ('sha ' +", "Say 'end'"]) {
      expect(script).toContain(line);
    }
    const chunk = Number(/New-Object byte\[\] (\d+)/.exec(script)?.[1]);
    expect(chunk % 3).toBe(0);
    expect(script).toContain("[Convert]::ToBase64String($buf, 0, $n, 'InsertLineBreaks')");
    expect(script).toContain('Get-FileHash -LiteralPath $f -Algorithm SHA256');
  });
});

describe('PowerShell receiver', () => {
  const script = powershellReceiverScript();

  it('answers every request of the POSIX receiver', () => {
    for (const op of ['P', 'M', 'F', 'D', 'E', 'C', 'Q']) expect(script).toContain(`'${op}' {`);
    expect(script).toContain("Say 'ready 1'");
  });

  it('reads a block as a counted number of non-empty lines from one reader', () => {
    expect(script).toContain('[Console]::OpenStandardInput(65536)');
    expect(script).toContain("while ($l -eq '')");
    expect(script).toContain('for ($i = 0; $i -lt [int]$b; $i++)');
  });

  it('renames without overwriting unless the file was opened with overwrite', () => {
    expect(script).toContain(
      "elseif ($o -eq '1') { Move-Item -LiteralPath $t -Destination $p -Force; $t = $null; Say 'ok' }",
    );
    expect(script).toContain(
      "else { Move-Item -LiteralPath $t -Destination $p; $t = $null; Say 'ok' }",
    );
    expect(script).toContain("$t = $p + '.airlock-' + $PID + '.part'");
  });

  it('checks the part file with Get-FileHash and removes it on a mismatch or cancel', () => {
    expect(script).toContain("if ($s -ne $a) { Drop; Say ('sha ' + $s) }");
    expect(script).toContain("'C' { Drop; Say 'cancelled' }");
    expect(script).toContain('} catch { Drop; Fail $_.Exception.Message }');
  });

  it('turns the console echo off when the input is a console', () => {
    expect(script).toContain('SetConsoleMode($h, $m -band (-bnot 4))');
  });
});

describe('script sets', () => {
  it('chooses PowerShell only for PlatformType Windows', () => {
    expect(platformOfType('Windows')).toBe('windows');
    expect(platformOfType('Linux')).toBe('posix');
    expect(platformOfType('MacOS')).toBe('posix');
    expect(platformOfType(undefined)).toBe('posix');
  });

  it('ends Windows lines with CR and keeps line widths whole base64 quanta', () => {
    expect(remoteScripts('windows').lineEnd).toBe('\r');
    expect(remoteScripts('posix').lineEnd).toBe('\n');
    for (const platform of ['windows', 'posix'] as const) {
      expect(remoteScripts(platform).lineBytes % 3).toBe(0);
    }
    expect(remoteScripts().platform).toBe('posix');
  });
});
