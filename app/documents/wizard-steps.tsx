import { Link } from "@remix-run/react";
import { useT } from "~/i18n";

const STEPS = ["parties", "places", "summary"] as const;

/** Where the user is in Sign: Parties → Places → Summary. */
export function WizardSteps({ documentId, current }: { documentId: string; current: (typeof STEPS)[number] }) {
  const t = useT();
  return (
    <ol className="steps" aria-label={t("documents.wizard")}>
      {STEPS.map((step, index) => (
        <li
          key={step}
          className={step === current ? "current" : undefined}
          aria-current={step === current ? "step" : undefined}
        >
          {index + 1}.{" "}
          {step === current ? (
            t(`documents.step.${step}`)
          ) : (
            <Link to={`/documents/${documentId}/${step}`}>{t(`documents.step.${step}`)}</Link>
          )}
        </li>
      ))}
    </ol>
  );
}
