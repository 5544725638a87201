// The POSIX sh programs that run on a Linux or macOS instance for a transfer: the upload receiver
// (fed through a pty) and the download sender (a command whose output is read). Only sh, base64,
// sha256sum, stty, and the POSIX tools head, mkdir, mv, rm, cat, find, wc, tr, cut and awk are used.

/** Every control line the remote programs print starts with this; base64 lines never contain ':'. */
export const CONTROL_PREFIX = ':airlock:';

/** Quotes `text` as one sh word. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shared helpers. `say` prints a control line; `enc` base64-encodes text onto one line; `dec`
 * decodes an argument (the trailing x keeps trailing newlines of a name through `$(...)`);
 * `home` expands a leading ~.
 */
const HELPERS = [
  `say() { printf '${CONTROL_PREFIX}%s\\n' "$*"; }`,
  `enc() { printf '%s' "$1" | base64 | tr -d '\\n'; }`,
  `dec() { printf '%s' "$1" | base64 -d 2>/dev/null; printf x; }`,
  `fail() { say "err $(enc "$1")"; }`,
  `home() { case $1 in '~') printf '%s' "$HOME";; '~/'*) printf '%s/%s' "$HOME" "\${1#'~/'}";; *) printf '%s' "$1";; esac; }`,
  `tools() { for c in base64 sha256sum head mv; do command -v "$c" >/dev/null 2>&1 || { fail "$c is not installed on the instance"; exit 1; }; done; }`,
];

/**
 * The upload receiver, run as an AWS-StartInteractiveCommand command (a pty, so it gets our
 * input). It puts its terminal in raw mode first (no echo, no line editing, no signal keys, no
 * 4 KiB line limit), then answers requests, each with exactly one line, in order:
 *
 * - `P <b64 dest> <b64 name>`: where a file called `name` lands for `dest` (inside it when it is
 *   a directory) -> `path <b64>`;
 * - `M <b64 dir>`: mkdir -p -> `ok`;
 * - `F <b64 path> <0|1 overwrite>`: opens `path.airlock-PID.part` -> `go`, `exists` or `err`;
 * - `D <n> <lines>`: the next n bytes are base64 lines, appended to the part file -> `ack` or
 *   `err` (the line count is for the PowerShell receiver, which counts lines);
 * - `E <sha256>`: checks the part file and renames it to its final name -> `ok` or `sha <actual>`;
 * - `C`: removes the part file -> `cancelled`; `Q`: exits.
 *
 * Request lines are read by the shell's `read` one byte at a time (dash and BusyBox always do;
 * bash only with `-n`, otherwise it reads ahead from a terminal), and a block by `head -c n`, which stops at its n-th byte only where head
 * reads no more than it still needs: GNU head does; BusyBox and BSD head read ahead through
 * stdio and drop what they did not use. So `ready 1` (GNU head) lets the client send blocks
 * without waiting (pipelining), and `ready 0` makes the receiver answer `send` to each `D`
 * before its block comes, so nothing is ever queued behind a block another tool reads.
 */
export function posixReceiverScript(): string {
  return [
    ...HELPERS,
    `t=''`,
    `trap 'if [ -n "$t" ]; then rm -f -- "$t"; fi' EXIT`,
    `trap 'exit 129' HUP`,
    `trap 'exit 143' TERM`,
    `stty raw -echo 2>/dev/null || { fail 'the terminal cannot be put in raw mode'; exit 1; }`,
    `tools`,
    `case $(head --version 2>/dev/null) in *'(GNU coreutils)'*) w=1;; *) w=0;; esac`,
    `if [ -n "\${BASH_VERSION-}" ]; then rq() { IFS=' ' read -r -n 65536 op a b; }; else rq() { IFS=' ' read -r op a b; }; fi`,
    `say "ready $w"`,
    `while rq; do`,
    `case $op in`,
    `P) p=$(dec "$a"); p=$(home "\${p%x}"); n=$(dec "$b"); n=\${n%x}; if [ -d "$p" ]; then p=\${p%/}/$n; fi; say "path $(enc "$p")";;`,
    `M) p=$(dec "$a"); p=\${p%x}; if e=$(mkdir -p -- "$p" 2>&1); then say ok; else fail "$e"; fi;;`,
    `F) p=$(dec "$a"); p=\${p%x}`,
    `  if [ -d "$p" ]; then fail "$p: Is a directory"`,
    `  elif [ -e "$p" ] && [ "$b" != 1 ]; then say exists`,
    `  else t=$p.airlock-$$.part; if e=$( { : > "$t"; } 2>&1); then say go; else t=''; fail "$e"; fi; fi;;`,
    `D) if [ "$w" = 0 ]; then say send; fi`,
    `  if e=$( { head -c "$a" | { base64 -d >> "$t" || { cat > /dev/null; exit 1; }; }; } 2>&1 ); then say ack; else rm -f -- "$t"; t=''; fail "\${e:-write failed}"; fi;;`,
    `E) s=$(sha256sum < "$t"); s=\${s%% *}`,
    `  if [ "$s" != "$a" ]; then rm -f -- "$t"; t=''; say "sha $s"`,
    `  elif e=$(mv -f -- "$t" "$p" 2>&1); then t=''; say ok`,
    `  else rm -f -- "$t"; t=''; fail "$e"; fi;;`,
    `C) if [ -n "$t" ]; then rm -f -- "$t"; fi; t=''; say cancelled;;`,
    `Q) say bye; exit 0;;`,
    `*) fail "unknown request: $(printf %s "$op" | cut -c1-40)";;`,
    `esac`,
    `done`,
  ].join('\n');
}

/**
 * The download sender, run as an AWS-StartNonInteractiveCommand command (output only; no input
 * reaches it). For `path` it prints `total <bytes>`, then per directory `dir <b64 relative>` and
 * per file `file <b64 relative> <size>`, the file's base64 lines and `sha <sha256>`, then `end`.
 * A single file has the relative name ''. Errors are `err <b64 text>`.
 */
export function posixSenderCommand(path: string, recursive: boolean): string {
  const sendFile = [
    ...HELPERS,
    `for f; do`,
    `r=\${f#./}; if [ "$f" = "$0" ]; then r=''; fi`,
    `if [ ! -r "$f" ]; then fail "$f: Permission denied"; exit 1; fi`,
    `say "file $(enc "$r") $(wc -c < "$f" | tr -d ' ')"`,
    `base64 < "$f" || { fail "$f: read error"; exit 1; }`,
    `s=$(sha256sum < "$f"); say "sha \${s%% *}"`,
    `done`,
  ].join('\n');
  const sendDir = `for d; do say "dir $(enc "\${d#./}")"; done`;
  return [
    ...HELPERS,
    `exec 2>/dev/null`,
    `tools`,
    `p=$(home ${shQuote(path)})`,
    `send=${shQuote(sendFile)}`,
    `if [ ! -e "$p" ] && [ ! -L "$p" ]; then fail "$p: No such file or directory"; exit 1; fi`,
    `if [ -d "$p" ]; then`,
    recursive
      ? `  cd -- "$p" || { fail "$p: Permission denied"; exit 1; }`
      : `  fail "$p: Is a directory (use -r to copy directories)"; exit 1`,
    `  say "total $(find . -type f -exec sh -c 'for f; do wc -c < "$f"; done' sh {} + | awk '{s+=$1} END {print s+0}')"`,
    `  find . -type d -exec sh -c ${shQuote(HELPERS[0] + '\n' + HELPERS[1] + '\n' + sendDir)} sh {} +`,
    `  find . -type f -exec sh -c "$send" sh {} + || exit 1`,
    `else`,
    `  if [ ! -r "$p" ]; then fail "$p: Permission denied"; exit 1; fi`,
    `  say "total $(wc -c < "$p" | tr -d ' ')"`,
    `  sh -c "$send" "$p" "$p" || exit 1`,
    `fi`,
    `say end`,
  ].join('\n');
}
