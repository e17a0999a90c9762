"""Whether the real non-Python clients some suites drive are installed (scripts/test installs them
when apt-get is usable); each answer is the reason to skip, or None when the client is there."""
import shutil
import subprocess


def php_missing(extension):
    """None when php-cli with `extension` (curl, soap) is installed, else why not."""
    package = f"php-{extension}"
    if shutil.which("php") is None:
        return f"php is not installed (Debian: php-cli {package})"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.lower().split()
    return None if extension in modules else f"PHP's {extension} extension is missing (Debian: {package})"


def perl_soap_lite_missing():
    """None when Perl and SOAP::Lite are installed, else why not."""
    if shutil.which("perl") is None:
        return "perl is not installed"
    found = subprocess.run(["perl", "-MSOAP::Lite", "-e", "1"], capture_output=True).returncode == 0
    return None if found else "SOAP::Lite is missing (Debian: libsoap-lite-perl)"
