// Merging the two shared files into profiles: config-file sections sorted into profiles,
// [sso-session] and [services] blocks, credentials-file sections laid over the same profiles
// (their keys win, as in the AWS CLI), and warnings for headers written the other file's way.
import type { IniDiagnostic, IniDocument, IniSection } from './ini';
import type { ProfileEntry, ServicesBlocks, SsoSessionBlocks } from './profile-types';

export interface MergedSections {
  entries: Map<string, ProfileEntry>;
  ssoSessions: SsoSessionBlocks;
  services: ServicesBlocks;
  /** Problems that belong to no profile (stray sections, lines outside sections). */
  diagnostics: IniDiagnostic[];
}

function unquote(name: string): string {
  const match = /^(["'])(.*)\1$/.exec(name);
  return match ? (match[2] ?? '') : name;
}

/** Splits a config-file header into its type and name. */
function classifyConfigHeader(
  header: string,
): { type: 'profile' | 'sso-session' | 'services'; name: string } | { type: 'other' } {
  if (header === 'default') return { type: 'profile', name: 'default' };
  const match = /^(profile|sso-session|services) (.+)$/.exec(header);
  if (!match) return { type: 'other' };
  const type = match[1] as 'profile' | 'sso-session' | 'services';
  const name = unquote((match[2] ?? '').trim());
  return name === '' ? { type: 'other' } : { type, name };
}

/** Diagnostics of one section, so they can be attached to the profile they concern. */
function sectionDiagnostics(doc: IniDocument, section: IniSection): IniDiagnostic[] {
  return doc.diagnostics.filter((d) => d.section === section.header);
}

export function mergeSections(
  configDoc: IniDocument | undefined,
  credentialsDoc: IniDocument | undefined,
): MergedSections {
  const merged: MergedSections = {
    entries: new Map(),
    ssoSessions: new Map(),
    services: new Map(),
    diagnostics: [],
  };
  if (configDoc) addConfigFile(merged, configDoc);
  if (credentialsDoc) addCredentialsFile(merged, credentialsDoc);
  return merged;
}

function entryFor(merged: MergedSections, name: string): ProfileEntry {
  let entry = merged.entries.get(name);
  if (!entry) {
    entry = { settings: new Map(), nested: new Map(), definedIn: [], diagnostics: [] };
    merged.entries.set(name, entry);
  }
  return entry;
}

function addConfigFile(merged: MergedSections, doc: IniDocument): void {
  for (const section of doc.sections) {
    const kind = classifyConfigHeader(section.header);
    if (kind.type === 'profile') {
      const entry = entryFor(merged, kind.name);
      for (const [k, v] of section.values) entry.settings.set(k, v);
      for (const [k, v] of section.nested) entry.nested.set(k, v);
      entry.definedIn.push({ file: section.file, line: section.line });
      entry.diagnostics.push(...sectionDiagnostics(doc, section));
    } else if (kind.type === 'sso-session') {
      merged.ssoSessions.set(kind.name, new Map(section.values));
    } else if (kind.type === 'services') {
      merged.services.set(kind.name, new Map(section.nested));
    } else {
      merged.diagnostics.push({
        file: section.file,
        line: section.line,
        severity: 'warning',
        message: `${section.file}, line ${section.line}: [${section.header}] is not a profile in the config file; write [profile ${section.header}] (only [default] goes without "profile").`,
      });
    }
  }
  merged.diagnostics.push(...doc.diagnostics.filter((d) => d.section === undefined));
}

function addCredentialsFile(merged: MergedSections, doc: IniDocument): void {
  for (const section of doc.sections) {
    // In the credentials file the header is the profile name as-is.
    const name = unquote(section.header);
    const entry = entryFor(merged, name);
    // The credentials file wins over the config file for the same key, as in the AWS CLI.
    for (const [k, v] of section.values) entry.settings.set(k, v);
    entry.definedIn.push({ file: section.file, line: section.line });
    entry.diagnostics.push(...sectionDiagnostics(doc, section));
    if (/^profile /.test(section.header)) {
      entry.diagnostics.push({
        file: section.file,
        line: section.line,
        severity: 'warning',
        message: `${section.file}, line ${section.line}: in the credentials file the header is the bare profile name; [${section.header}] defines a profile literally named "${name}".`,
      });
    }
  }
  merged.diagnostics.push(...doc.diagnostics.filter((d) => d.section === undefined));
}
