"""Seed 001's `Sign`/`Crypt`: PGP (GnuPG) and S/MIME (OpenSSL) keys imported with `swiftdesk pgp
import` / `swiftdesk smime import` sign and encrypt the mail; the received messages are verified
and decrypted with gpg and `openssl cms` on throwaway keyrings. A key that is missing or expired
is the dialect's error, and nothing is stored or sent."""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from .test_article_send import create, send_article, unique, with_subject

pytestmark = pytest.mark.skipif(shutil.which("gpg") is None or shutil.which("openssl") is None,
                                reason="gpg or openssl is not installed (Debian: gnupg, openssl)")

SIGNER = "signer@desk.example.org"
RECIPIENT = "recipient@acme.test"


def run(*command, input=None):
    result = subprocess.run(command, input=input, capture_output=True, timeout=120)
    assert result.returncode == 0, (command, result.stderr.decode(errors="replace"))
    return result.stdout


class Keys:
    """Throwaway keys: the desk's signing key (imported with its secret) and a recipient's key
    (the desk gets the public part; the test keeps the secret to decrypt)."""

    def __init__(self, workdir):
        self.dir = workdir
        self.home = os.path.join(workdir, "gnupg")
        os.makedirs(self.home, mode=0o700)

    def gpg(self, *args, input=None):
        return run("gpg", "--batch", "--homedir", self.home, "--pinentry-mode", "loopback", "--passphrase", "",
                   "--trust-model", "always", *args, input=input)

    def pgp_key(self, uid, *extra):
        self.gpg(*extra, "--quick-gen-key", uid, "future-default", "default", "never" if not extra else "1d")
        listing = self.gpg("--with-colons", "--list-keys", uid).decode()
        return re.search(r"^fpr:+([0-9A-F]{40}):", listing, re.M).group(1)

    def export(self, name, *args):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(self.gpg("--armor", *args))
        return path

    def smime_pair(self, name, email):
        key, cert = os.path.join(self.dir, name + ".key"), os.path.join(self.dir, name + ".pem")
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "30",
            "-subj", f"/CN={name}/emailAddress={email}", "-addext", f"subjectAltName=email:{email}")
        return cert, key


@pytest.fixture(scope="module")
def keys(desk):
    with tempfile.TemporaryDirectory(prefix="swiftdesk-keys-") as workdir:
        k = Keys(workdir)
        k.signer = k.pgp_key(f"Desk Signer <{SIGNER}>")
        k.recipient = k.pgp_key(f"Recipient <{RECIPIENT}>")
        k.expired = k.pgp_key("Old Key <old@acme.test>", "--faked-system-time", "20200101T000000!")
        out = desk.cli("pgp", "import", k.export("signer.asc", "--export-secret-keys", k.signer))
        assert "with secret key" in out, out
        desk.cli("pgp", "import", k.export("recipient.asc", "--export", k.recipient))
        desk.cli("pgp", "import", k.export("old.asc", "--export", k.expired))
        k.smime_signer = k.smime_pair("signer", SIGNER)
        k.smime_recipient = k.smime_pair("recipient", RECIPIENT)
        desk.cli("smime", "import", "--cert", k.smime_signer[0], "--key", k.smime_signer[1])
        desk.cli("smime", "import", "--cert", k.smime_recipient[0])
        yield k


def boundary_parts(raw, boundary):
    """The parts of a multipart body, as the exact bytes between the delimiters."""
    delimiter = b"\r\n--" + boundary.encode()
    body = b"\r\n" + raw.split(b"\r\n\r\n", 1)[1]
    pieces = body.split(delimiter)
    return [piece[2:] for piece in pieces[1:-1]]  # drop the CRLF after each delimiter line


def boundary_of(header):
    return re.search(r'boundary="([^"]+)"', header).group(1)


def sent(desk, smtp, keys, subject, **security):
    created = create(desk, subject, send_article(subject, To=RECIPIENT, **security))
    assert "Error" not in created, created
    return smtp.received.wait_for(with_subject(subject))


def test_pgp_listing(desk, keys):
    listing = desk.cli("pgp", "list")
    assert f"(fingerprint {keys.signer}) {SIGNER}, with secret key, never expires" in listing
    assert f"(fingerprint {keys.recipient}) {RECIPIENT}, public only" in listing


def test_pgp_mime_signed(desk, smtp, keys):
    got = sent(desk, smtp, keys, unique("PGP signed"), Sign={"Type": "PGP", "SubType": "Detached", "Key": keys.signer})
    header = str(got["message"]["Content-Type"])
    assert b'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"' in got["raw"].replace(b"\r\n ", b" ")
    signed, signature = boundary_parts(got["raw"], boundary_of(header))
    with tempfile.TemporaryDirectory() as work:
        data, sig = os.path.join(work, "data"), os.path.join(work, "sig.asc")
        open(data, "wb").write(signed)
        open(sig, "wb").write(signature.split(b"\r\n\r\n", 1)[1])
        result = subprocess.run(["gpg", "--batch", "--homedir", keys.home, "--status-fd", "1", "--verify", sig, data],
                                capture_output=True)
    assert b"[GNUPG:] GOODSIG" in result.stdout, result.stderr
    assert b"Hello from the helpdesk." in signed


def test_pgp_mime_signed_and_encrypted(desk, smtp, keys):
    got = sent(desk, smtp, keys, unique("PGP both"), Sign={"Type": "PGP", "Key": SIGNER},
               Crypt={"Type": "PGP", "Key": RECIPIENT})
    header = str(got["message"]["Content-Type"])
    assert b'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"' in got["raw"].replace(b"\r\n ", b" ")
    control, data = boundary_parts(got["raw"], boundary_of(header))
    assert control.endswith(b"\r\n\r\nVersion: 1")
    assert b"Hello from the helpdesk." not in got["raw"]
    decrypted = keys.gpg("--decrypt", input=data.split(b"\r\n\r\n", 1)[1])
    assert b"multipart/signed" in decrypted and b"Hello from the helpdesk." in decrypted


def test_pgp_inline_clearsigned(desk, smtp, keys):
    got = sent(desk, smtp, keys, unique("PGP inline"), Sign={"Type": "PGP", "SubType": "Inline", "Key": keys.signer})
    text = got["message"].get_content().replace("\r\n", "\n")
    assert text.startswith("-----BEGIN PGP SIGNED MESSAGE-----")
    result = subprocess.run(["gpg", "--batch", "--homedir", keys.home, "--status-fd", "1", "--verify"],
                            input=text.encode(), capture_output=True)
    assert b"[GNUPG:] GOODSIG" in result.stdout, result.stderr


def test_smime_signed_and_encrypted(desk, smtp, keys):
    got = sent(desk, smtp, keys, unique("SMIME signed"), Sign={"Type": "SMIME", "Key": SIGNER})
    assert got["message"].get_content_type() == "multipart/signed"
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "mail.eml")
        open(path, "wb").write(got["raw"])
        content = run("openssl", "cms", "-verify", "-noverify", "-in", path)
    assert b"Hello from the helpdesk." in content

    got = sent(desk, smtp, keys, unique("SMIME crypt"), Crypt={"Type": "SMIME", "Key": RECIPIENT})
    assert got["message"].get_content_type() == "application/pkcs7-mime"
    assert b"Hello from the helpdesk." not in got["raw"]
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "mail.eml")
        open(path, "wb").write(got["raw"])
        plain = run("openssl", "cms", "-decrypt", "-in", path, "-recip", keys.smime_recipient[0],
                    "-inkey", keys.smime_recipient[1])
    assert b"Hello from the helpdesk." in plain


@pytest.mark.parametrize("block,field", [
    ({"Sign": {"Type": "PGP", "Key": "0123456789ABCDEF"}}, "Sign"),
    ({"Sign": {"Type": "PGP", "Key": RECIPIENT}}, "Sign"),  # no secret key to sign with
    ({"Crypt": {"Type": "PGP", "Key": "old@acme.test"}}, "Crypt"),  # expired
    ({"Crypt": {"Type": "SMIME", "Key": "nobody@acme.test"}}, "Crypt"),
    ({"Sign": {"Type": "X509", "Key": SIGNER}}, "Sign"),
    ({"Crypt": "yes"}, "Crypt"),
])
def test_missing_or_expired_keys(desk, smtp, keys, block, field):
    subject = unique("Refused")
    answer = create(desk, subject, send_article(subject, To=RECIPIENT, **block))
    assert answer["Error"] == {"ErrorCode": "TicketCreate.InvalidParameter",
                               "ErrorMessage": f"TicketCreate: Article->{field} parameter is invalid!"}, answer
    assert smtp.received.matching(with_subject(subject)) == []
