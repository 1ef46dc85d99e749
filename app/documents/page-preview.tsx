// A page preview with the boxes drawn over it. As a clickable <input type="image"> it sends
// the click position in CSS pixels, so its rendered width must be exactly DISPLAY_WIDTH.
import { useT } from "~/i18n";

export const DISPLAY_WIDTH = { phone: 340, desktop: 860 } as const;
export type DisplaySize = keyof typeof DISPLAY_WIDTH;

export interface PreviewBox {
  id: string;
  partyRole: "company" | "client";
  kind: "signature" | "stamp";
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export function PagePreview(props: {
  src: string;
  page: number;
  pageSize: [number, number];
  boxes: PreviewBox[];
  size: DisplaySize;
  /** When set, the preview is an image button of the enclosing form with this name. */
  inputName?: string;
}) {
  const t = useT();
  const [pageWidth, pageHeight] = props.pageSize;
  const width = DISPLAY_WIDTH[props.size];
  const height = Math.round((width * pageHeight) / pageWidth);
  const alt = t("documents.pageAlt", { page: props.page });
  return (
    <figure className="page-preview" style={{ width, maxWidth: "none" }}>
      <div className="page-frame" style={{ width, height }}>
        {props.inputName ? (
          <input
            type="image"
            name={props.inputName}
            src={props.src}
            alt={alt}
            width={width}
            height={height}
            className="page-image"
          />
        ) : (
          <img src={props.src} alt={alt} width={width} height={height} className="page-image" loading="lazy" />
        )}
        {props.boxes
          .filter((b) => b.page === props.page)
          .map((box) => (
            <span
              key={box.id}
              className={`box-overlay box-${box.partyRole} box-${box.kind}`}
              style={{
                left: `${(box.x / pageWidth) * 100}%`,
                bottom: `${(box.y / pageHeight) * 100}%`,
                width: `${(box.width / pageWidth) * 100}%`,
                height: `${(box.height / pageHeight) * 100}%`,
              }}
            >
              {t(`documents.party.${box.partyRole}`)} · {t(`documents.kind.${box.kind}`)}
            </span>
          ))}
      </div>
      <figcaption className="muted">{alt}</figcaption>
    </figure>
  );
}
