import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  raw: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/**
 * A real SMTP server in the test process: messages go through nodemailer, over TCP, and arrive as MIME that the
 * tests parse as a mail client would. `refuse` makes it answer RCPT TO with an SMTP error (451 temporary, 550
 * permanent) until it is cleared.
 */
export async function startTestSmtp() {
  const received: ReceivedMail[] = [];
  const state: { refuse: { code: number; message: string } | null } = { refuse: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.refuse) {
        const error = new Error(state.refuse.message) as Error & { responseCode: number };
        error.responseCode = state.refuse.code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            received.push({ raw, envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    received,
    refuse(code: number, message: string) {
      state.refuse = { code, message };
    },
    accept() {
      state.refuse = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
