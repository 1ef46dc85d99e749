// Page previews for signers: server-rendered JPEGs with the boxes drawn as HTML on top
// (percent of the page), and, in the preview step, the images that go into them.
import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n";

export interface PreviewPage {
  number: number;
  ratio: number;
  boxes: { role: string; kind: string; mine: boolean; left: number; bottom: number; width: number; height: number }[];
}

export function PagePreviews(props: {
  token: string;
  pages: PreviewPage[];
  images?: Record<string, boolean>;
  version?: string;
  onlyWithBoxes?: boolean;
}) {
  const t = useT();
  const pages = props.onlyWithBoxes ? props.pages.filter((p) => p.boxes.length > 0) : props.pages;
  return (
    <div className="sign-pages">
      {pages.map((page) => (
        <figure key={page.number} className="sign-page">
          <div className="sign-sheet" style={{ paddingTop: `${page.ratio * 100}%` }}>
            <img
              src={`/s/${props.token}/page/${page.number}`}
              srcSet={`/s/${props.token}/page/${page.number} 360w, /s/${props.token}/page/${page.number}?size=desktop 900w`}
              sizes="(max-width: 700px) 100vw, 680px"
              alt={t("signing.page.alt", { n: page.number })}
              loading={page.number > 2 ? "lazy" : undefined}
            />
            {page.boxes.map((box, index) => {
              const key = `${box.role}-${box.kind}`;
              const image = props.images?.[key];
              return (
                <div
                  key={index}
                  className={`sign-box ${box.mine ? "mine" : ""} ${image ? "filled" : ""}`}
                  style={{
                    left: `${box.left}%`,
                    bottom: `${box.bottom}%`,
                    width: `${box.width}%`,
                    height: `${box.height}%`,
                  }}
                  title={t(`signing.box.${box.kind}`)}
                >
                  {image ? (
                    <img
                      src={`/s/${props.token}/image/${key}?v=${props.version ?? ""}`}
                      alt={t(`signing.box.${box.kind}`)}
                    />
                  ) : (
                    <span>{t(`signing.box.${box.kind}`)}</span>
                  )}
                </div>
              );
            })}
          </div>
          <figcaption>{t("signing.page.caption", { n: page.number, m: props.pages.length })}</figcaption>
        </figure>
      ))}
    </div>
  );
}

/** Drawing a signature: only with JavaScript (rendered after hydration); fills a hidden field with a PNG data URL. */
export function DrawPad(props: { label: string; clearLabel: string }) {
  const [ready, setReady] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const output = useRef<HTMLInputElement>(null);
  useEffect(() => setReady(true), []);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const context = element.getContext("2d")!;
    context.lineWidth = 3;
    context.lineCap = "round";
    context.strokeStyle = "#0b1f5c";
    let drawing = false;
    const point = (event: PointerEvent) => {
      const rect = element.getBoundingClientRect();
      return [
        ((event.clientX - rect.left) * element.width) / rect.width,
        ((event.clientY - rect.top) * element.height) / rect.height,
      ];
    };
    const down = (event: PointerEvent) => {
      drawing = true;
      element.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      context.beginPath();
      context.moveTo(x, y);
    };
    const move = (event: PointerEvent) => {
      if (!drawing) return;
      const [x, y] = point(event);
      context.lineTo(x, y);
      context.stroke();
    };
    const up = () => {
      if (!drawing) return;
      drawing = false;
      if (output.current) output.current.value = element.toDataURL("image/png");
    };
    element.addEventListener("pointerdown", down);
    element.addEventListener("pointermove", move);
    element.addEventListener("pointerup", up);
    return () => {
      element.removeEventListener("pointerdown", down);
      element.removeEventListener("pointermove", move);
      element.removeEventListener("pointerup", up);
    };
  }, [ready]);
  if (!ready) return null;
  return (
    <div className="field">
      <span className="label">{props.label}</span>
      <canvas ref={canvas} width={600} height={200} className="draw-pad" />
      <input ref={output} type="hidden" name="drawing" />
      <button
        type="button"
        className="btn secondary small"
        onClick={() => {
          const element = canvas.current;
          element?.getContext("2d")?.clearRect(0, 0, element.width, element.height);
          if (output.current) output.current.value = "";
        }}
      >
        {props.clearLabel}
      </button>
    </div>
  );
}
