// "Details" on demand under a plain error sentence: the original text, folded away until asked for.
export function ErrorDetails({ details }: { details: string | undefined }) {
  if (details === undefined) return null;
  return (
    <details className="banner__details">
      <summary>Details</summary>
      {details}
    </details>
  );
}
