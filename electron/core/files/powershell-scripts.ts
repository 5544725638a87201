// The PowerShell programs that run on a Windows instance for a transfer, in the same control
// protocol as posix-scripts.ts: the upload receiver (fed through the session's console) and the
// download sender (a command whose output is read). Only Windows PowerShell 5.1 (or later) and
// .NET are used. They are built and unit-tested here; this project has no Windows instance to
// run them on (the sandbox's Windows instance runs a local POSIX shell).

import { CONTROL_PREFIX } from './posix-scripts';

/** PowerShell treats these as single quotes too; inside a single-quoted string each is doubled. */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** Quotes `text` as one PowerShell string literal: nothing inside ($, `, ") is expanded. */
export function psQuote(text: string): string {
  return `'${text.replace(PS_SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

/**
 * The command line for `script`: powershell.exe with the script as -EncodedCommand (UTF-16LE,
 * base64), so neither the agent's shell nor a code page touches its quotes or non-ASCII names.
 */
export function powershellCommand(script: string): string {
  const encoded = Buffer.from(script, 'utf16le').toString('base64');
  return `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encoded}`;
}

/** The script inside a command built by powershellCommand (for tests and logs). */
export function decodePowershellCommand(command: string): string {
  const encoded = /-EncodedCommand (\S+)$/.exec(command)?.[1] ?? '';
  return Buffer.from(encoded, 'base64').toString('utf16le');
}

/** Shared helpers, as in the POSIX scripts: control lines, names as base64 of UTF-8, ~ expansion. */
const HELPERS = [
  `$ErrorActionPreference = 'Stop'`,
  `$ProgressPreference = 'SilentlyContinue'`,
  `$out = [Console]::Out`,
  `function Say([string]$t) { $out.Write('${CONTROL_PREFIX}' + $t + [char]10); $out.Flush() }`,
  `function Enc([string]$t) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($t)) }`,
  `function Dec([string]$b) { if ($b -eq '-' -or $b -eq '') { return '' }; [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b)) }`,
  `function Fail([string]$t) { Say ('err ' + (Enc $t)) }`,
  `function Home([string]$q) { if ($q -eq '~') { return $HOME }; if ($q -match '^~[\\\\/]') { return (Join-Path $HOME $q.Substring(2)) }; $q }`,
  `function Sha([string]$f) { (Get-FileHash -LiteralPath $f -Algorithm SHA256).Hash.ToLowerInvariant() }`,
];

/**
 * Turns the console's echo off (ENABLE_ECHO_INPUT), so the data is not printed back; when the
 * input is not a console nothing needs to change. Line input stays on: requests arrive as lines.
 */
const ECHO_OFF = [
  `try {`,
  `  Add-Type -Namespace Airlock -Name Console -MemberDefinition '[DllImport("kernel32.dll")] public static extern IntPtr GetStdHandle(int h); [DllImport("kernel32.dll")] public static extern bool GetConsoleMode(IntPtr h, out int m); [DllImport("kernel32.dll")] public static extern bool SetConsoleMode(IntPtr h, int m);'`,
  `  $h = [Airlock.Console]::GetStdHandle(-10); $m = 0`,
  `  if ([Airlock.Console]::GetConsoleMode($h, [ref]$m)) { [void][Airlock.Console]::SetConsoleMode($h, $m -band (-bnot 4)) }`,
  `} catch { }`,
];

/**
 * The upload receiver, run as an AWS-StartInteractiveCommand command. Same requests and answers
 * as posixReceiverScript, read as lines by this one process (no other reader can take input
 * ahead of it, so blocks always pipeline: `ready 1`). `D <bytes> <lines>` is followed by
 * `lines` base64 lines (the console may add CR or LF to each line, so lines are counted, not
 * bytes; empty lines are skipped). The part file is renamed with Move-Item, which refuses an
 * existing name unless the file was opened with overwrite (`F <path> 1`).
 */
export function powershellReceiverScript(): string {
  return [
    ...HELPERS,
    ...ECHO_OFF,
    `$in = New-Object IO.StreamReader([Console]::OpenStandardInput(65536), [Text.Encoding]::ASCII)`,
    `function Line { do { $l = $in.ReadLine(); if ($null -eq $l) { exit 1 } } while ($l -eq ''); $l }`,
    `$t = $null; $p = $null; $o = '0'; $f = $null`,
    `function Drop { if ($f) { $f.Dispose(); Set-Variable f $null -Scope Script }; if ($t) { Remove-Item -LiteralPath $t -Force -ErrorAction SilentlyContinue; Set-Variable t $null -Scope Script } }`,
    `Say 'ready 1'`,
    `while ($true) {`,
    `  $w = (Line).Split(' '); $op = $w[0]; $a = $w[1]; $b = $w[2]`,
    `  try {`,
    `    switch -CaseSensitive ($op) {`,
    `      'P' { $q = Home (Dec $a); if (Test-Path -LiteralPath $q -PathType Container) { $q = Join-Path $q (Dec $b) }; Say ('path ' + (Enc $q)) }`,
    `      'M' { [void][IO.Directory]::CreateDirectory((Dec $a)); Say 'ok' }`,
    `      'F' { $p = Dec $a; $o = $b`,
    `        if (Test-Path -LiteralPath $p -PathType Container) { Fail ($p + ': Is a directory') }`,
    `        elseif ((Test-Path -LiteralPath $p) -and $o -ne '1') { Say 'exists' }`,
    `        else { $t = $p + '.airlock-' + $PID + '.part'; $f = [IO.File]::Open($t, 'Create', 'Write'); Say 'go' } }`,
    `      'D' { for ($i = 0; $i -lt [int]$b; $i++) { $d = [Convert]::FromBase64String((Line)); $f.Write($d, 0, $d.Length) }; Say 'ack' }`,
    `      'E' { $f.Dispose(); $f = $null; $s = Sha $t`,
    `        if ($s -ne $a) { Drop; Say ('sha ' + $s) }`,
    `        elseif ($o -eq '1') { Move-Item -LiteralPath $t -Destination $p -Force; $t = $null; Say 'ok' }`,
    `        else { Move-Item -LiteralPath $t -Destination $p; $t = $null; Say 'ok' } }`,
    `      'C' { Drop; Say 'cancelled' }`,
    `      'Q' { Say 'bye'; exit 0 }`,
    `      default { Fail ('unknown request: ' + $op) }`,
    `    }`,
    `  } catch { Drop; Fail $_.Exception.Message }`,
    `}`,
  ].join('\n');
}

/** Raw bytes per chunk the sender encodes: a multiple of 3, so chunks are base64 on their own. */
const SENDER_CHUNK_BYTES = 3 * 65536;

/**
 * The download sender, run as an AWS-StartNonInteractiveCommand command: the same output as
 * posixSenderCommand (`total`, `dir`, `file`, base64 lines, `sha`, `end`, or `err`).
 */
export function powershellSenderScript(path: string, recursive: boolean): string {
  return [
    ...HELPERS,
    `function Send([string]$full, [string]$r) {`,
    `  $s = [IO.File]::OpenRead($full); $buf = New-Object byte[] ${SENDER_CHUNK_BYTES}`,
    `  Say ('file ' + (Enc $r) + ' ' + $s.Length)`,
    `  try { while (($n = $s.Read($buf, 0, $buf.Length)) -gt 0) { $out.Write([Convert]::ToBase64String($buf, 0, $n, 'InsertLineBreaks') + [char]10) } } finally { $s.Dispose() }`,
    `  Say ('sha ' + (Sha $full))`,
    `}`,
    `try {`,
    `  $q = Home ${psQuote(path)}`,
    `  if (-not (Test-Path -LiteralPath $q)) { Fail ($q + ': No such file or directory'); exit 1 }`,
    `  $item = Get-Item -LiteralPath $q -Force`,
    `  if ($item.PSIsContainer) {`,
    recursive
      ? `    $root = $item.FullName.TrimEnd('\\').Length + 1`
      : `    Fail ($q + ': Is a directory (use -r to copy directories)'); exit 1`,
    `    $all = @(Get-ChildItem -LiteralPath $item.FullName -Recurse -Force)`,
    `    $files = @($all | Where-Object { -not $_.PSIsContainer })`,
    `    Say ('total ' + [long]($files | Measure-Object -Property Length -Sum).Sum)`,
    `    Say ('dir ' + (Enc '.'))`,
    `    foreach ($d in ($all | Where-Object { $_.PSIsContainer })) { Say ('dir ' + (Enc $d.FullName.Substring($root).Replace('\\', '/'))) }`,
    `    foreach ($x in $files) { Send $x.FullName $x.FullName.Substring($root).Replace('\\', '/') }`,
    `  } else {`,
    `    Say ('total ' + $item.Length)`,
    `    Send $item.FullName ''`,
    `  }`,
    `  Say 'end'`,
    `} catch { Fail $_.Exception.Message; exit 1 }`,
  ].join('\n');
}
