// What the signing page shows, as plain serialisable data (no keys, hashes or storage paths).
import { pageSizesOf } from "~/documents/documents.server";
import { config } from "~/config.server";
import {
  missingForSigning,
  partyBoxes,
  providedData,
  requiredDataFields,
  savedCompanyImages,
  stampRequired,
  type LinkState,
  type SignerContext,
} from "./signer.server";

export type Step = "review" | "data" | "signature" | "stamp" | "preview";

export function stepsFor(context: SignerContext): Step[] {
  const steps: Step[] = ["review"];
  if (requiredDataFields(context).length > 0) steps.push("data");
  if (partyBoxes(context, "signature").length > 0) steps.push("signature");
  if (partyBoxes(context, "stamp").length > 0) steps.push("stamp");
  steps.push("preview");
  return steps;
}

export function nextStep(context: SignerContext, step: Step): Step {
  const steps = stepsFor(context);
  return steps[Math.min(steps.indexOf(step) + 1, steps.length - 1)] ?? "preview";
}

export function parseStep(context: SignerContext, value: string | null): Step {
  const steps = stepsFor(context);
  return steps.includes(value as Step) ? (value as Step) : "review";
}

export function signerView(state: LinkState, step: Step | null) {
  if (state.kind === "invalid") return { kind: state.kind } as const;
  const { document, party, parties, boxes } = state.context;
  const company = parties.find((p) => p.role === "company");
  const base = {
    kind: state.kind,
    document: {
      number: document.number,
      title: document.title,
      stage: document.stage,
      company: company?.companyName ?? "",
      endReason: document.stage === "expired" ? null : document.endReason,
      deadline: document.deadlineAt?.toISOString() ?? null,
      completedAt: document.completedAt?.toISOString() ?? null,
      verifyUrl: `${config.verifyPublicUrl}/d/${document.publicId}`,
      sealing: Boolean(document.sealPendingSince),
    },
    party: {
      role: party.role,
      name: party.name,
      status: party.status,
      channel: party.role === "client" ? document.clientChannel : ("email" as const),
      linkLocked: Boolean(party.linkLockedAt),
    },
  };
  if (state.kind !== "session") return { ...base, session: null };
  return { ...base, session: sessionView(state.context, step) };
}

function sessionView(context: SignerContext, step: Step | null) {
  const { document, party, parties, boxes } = context;
  const sizes = pageSizesOf(document);
  const saved = savedCompanyImages(context);
  return {
    step: step ?? "review",
    steps: stepsFor(context),
    pages: sizes.map(([width, height], index) => ({
      number: index + 1,
      ratio: height / width,
      boxes: boxes
        .filter((b) => b.page === index + 1)
        .map((b) => ({
          role: b.partyRole,
          kind: b.kind,
          mine: b.partyRole === party.role,
          left: (b.x / width) * 100,
          bottom: (b.y / height) * 100,
          width: (b.width / width) * 100,
          height: (b.height / height) * 100,
        })),
    })),
    images: Object.fromEntries(
      parties.flatMap((p) => [
        [`${p.role}-signature`, Boolean(p.signatureImageKey) && (p.role === party.role || p.status === "signed")],
        [`${p.role}-stamp`, Boolean(p.stampImageKey) && (p.role === party.role || p.status === "signed")],
      ]),
    ) as Record<string, boolean>,
    imageVersion: `${party.signatureImageKey?.slice(-20, -4) ?? ""}${party.stampImageKey?.slice(-20, -4) ?? ""}`,
    saved: { signature: Boolean(saved.signature), stamp: Boolean(saved.stamp) },
    requiredFields: requiredDataFields(context),
    provided: {
      fullName: party.name,
      position: party.position,
      companyName: party.companyName,
      taxId: party.taxId,
      ...providedData(party),
    },
    stampRequired: stampRequired(context),
    missing: missingForSigning(context),
  };
}

export type SignerView = ReturnType<typeof signerView>;
export type SignerSessionView = ReturnType<typeof sessionView>;
