import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyHubSignature, verifyWebhookSignature, webhookHeaders } from "./signature.js";

// The example of the Standard Webhooks specification (standardwebhooks.com, "Verifying").
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signatures", () => {
  it("signs the specification's example as the specification does", () => {
    expect(signWebhook(SPEC.secret, SPEC)).toBe(SPEC.signature);
    expect(webhookHeaders(SPEC.secret, SPEC)).toEqual({ "webhook-id": SPEC.id, "webhook-timestamp": String(SPEC.timestamp), "webhook-signature": SPEC.signature });
  });

  it("verifies a genuine message and refuses every alteration", () => {
    const headers = webhookHeaders(SPEC.secret, SPEC);
    const at = { nowSeconds: SPEC.timestamp + 10 };
    expect(verifyWebhookSignature(SPEC.secret, { headers, body: SPEC.body }, at)).toBe(true);
    expect(verifyWebhookSignature(SPEC.secret, { headers, body: '{"test": 2432232315}' }, at)).toBe(false);
    expect(verifyWebhookSignature(generateWebhookSecret(), { headers, body: SPEC.body }, at)).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers: { ...headers, "webhook-id": "msg_other" }, body: SPEC.body }, at)).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers: { ...headers, "webhook-timestamp": String(SPEC.timestamp + 1) }, body: SPEC.body }, at)).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers: { ...headers, "webhook-signature": "v1,AAAA" }, body: SPEC.body }, at)).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers: { "webhook-id": SPEC.id, "webhook-timestamp": String(SPEC.timestamp) }, body: SPEC.body }, at)).toBe(false);
  });

  it("refuses a timestamp outside the tolerance, and accepts one of several signatures", () => {
    const headers = webhookHeaders(SPEC.secret, SPEC);
    expect(verifyWebhookSignature(SPEC.secret, { headers, body: SPEC.body }, { nowSeconds: SPEC.timestamp + 301 })).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers, body: SPEC.body }, { nowSeconds: SPEC.timestamp - 301 })).toBe(false);
    expect(verifyWebhookSignature(SPEC.secret, { headers, body: SPEC.body }, { nowSeconds: SPEC.timestamp + 3_600, toleranceSeconds: 3_600 })).toBe(true);
    const rotated = { ...headers, "webhook-signature": `v1,bm90IHRoaXMgb25l ${SPEC.signature}` };
    expect(verifyWebhookSignature(SPEC.secret, { headers: rotated, body: SPEC.body }, { nowSeconds: SPEC.timestamp })).toBe(true);
  });

  it("generates distinct whsec_ secrets of 32 random bytes", () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe("Intercom's X-Hub-Signature", () => {
  const secret = "client-secret";
  const body = Buffer.from('{"type":"notification_event","topic":"ping"}');
  const genuine = `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;

  it("accepts the HMAC-SHA1 of the raw body, in either hex case", () => {
    expect(verifyHubSignature(secret, body, genuine)).toBe(true);
    expect(verifyHubSignature(secret, body, `sha1=${genuine.slice(5).toUpperCase()}`)).toBe(true);
    expect(verifyHubSignature(secret, body, [genuine])).toBe(true);
  });

  it("refuses a missing, malformed, forged or misplaced signature", () => {
    for (const header of [undefined, "", "sha1=", genuine.slice(5), `sha256=${genuine.slice(5)}`, `${genuine}00`, "sha1=zz", `sha1=${"0".repeat(40)}`]) {
      expect(verifyHubSignature(secret, body, header), String(header)).toBe(false);
    }
    expect(verifyHubSignature("another-secret", body, genuine)).toBe(false);
    expect(verifyHubSignature(secret, Buffer.concat([body, Buffer.from(" ")]), genuine)).toBe(false);
  });
});
