/**
 * An invoice's pay page as a QR code (the `qrcode` library): shown, copied as a link, downloaded as PNG or
 * SVG, and printed. Loaded only with the pages that show it.
 */
import { formatDollars } from "@sovr/contracts";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { Button } from "./ui.tsx";

/** Quiet zone and size for print and download: big enough for a phone across a desk. */
const QR_OPTIONS = { margin: 2, width: 512, errorCorrectionLevel: "M" as const };

function download(name: string, href: string) {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  link.click();
}

export function InvoiceQr({ url, invoiceId, amount }: { url: string; invoiceId: bigint; amount: bigint }) {
  const [png, setPng] = useState<string>();
  const [svg, setSvg] = useState<string>();
  const [note, setNote] = useState<string>();

  useEffect(() => {
    let current = true;
    void Promise.all([QRCode.toDataURL(url, QR_OPTIONS), QRCode.toString(url, { ...QR_OPTIONS, type: "svg" })]).then(
      ([dataUrl, svgText]) => {
        if (!current) return;
        setPng(dataUrl);
        setSvg(svgText);
      },
    );
    return () => {
      current = false;
    };
  }, [url]);

  const name = `invoice-${invoiceId}`;
  const print = () => {
    const page = window.open("", "_blank", "width=600,height=760");
    if (!page || !png) {
      setNote("Your browser blocked the print window; allow pop-ups for this page, or download the PNG.");
      return;
    }
    const title = `Invoice #${invoiceId}: ${formatDollars(amount)}`;
    page.document.title = title;
    const heading = page.document.createElement("h1");
    heading.textContent = title;
    const image = page.document.createElement("img");
    image.src = png;
    image.style.width = "80%";
    const caption = page.document.createElement("p");
    caption.textContent = `Scan to pay, or open ${url}`;
    page.document.body.style.cssText = "font-family: sans-serif; text-align: center";
    page.document.body.append(heading, image, caption);
    image.onload = () => page.print();
  };

  return (
    <div className="flex flex-col items-center gap-2" data-testid="invoice-qr">
      {png ? (
        <img src={png} alt={`QR code of ${url}`} className="h-48 w-48 rounded bg-white p-1" data-testid="qr-image" data-url={url} />
      ) : (
        <div className="h-48 w-48 animate-pulse rounded bg-gray-700" />
      )}
      <code className="break-all text-center text-xs text-gray-400" data-testid="pay-url">
        {url}
      </code>
      <div className="flex flex-wrap justify-center gap-2">
        <Button
          small
          testId="copy-link"
          onClick={() =>
            void navigator.clipboard.writeText(url).then(
              () => setNote("Link copied."),
              () => setNote("Could not copy; select the link above instead."),
            )
          }
        >
          Copy link
        </Button>
        <Button small disabled={!png} onClick={() => png && download(`${name}.png`, png)} testId="download-png">
          PNG
        </Button>
        <Button
          small
          disabled={!svg}
          onClick={() => svg && download(`${name}.svg`, URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })))}
          testId="download-svg"
        >
          SVG
        </Button>
        <Button small disabled={!png} onClick={print} testId="print-qr">
          Print
        </Button>
      </div>
      {note && <p className="text-xs text-gray-400">{note}</p>}
    </div>
  );
}
