"""LibreOffice conversion runs with macros disabled and no link or field updated on load
(kb.contrib.intake.convert.HARDENING): documents that include a local secret file
(INCLUDETEXT in .rtf and .doc, a linked section and a linked image in .odt) or run a Basic
macro when opened never bring the secret's text into the result, and the macro never runs."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import require_tool
from kb.contrib.intake import convert

SECRET_TEXT = "TOPSECRET-4711 机密"
OOR = "{http://openoffice.org/2001/registry}"


def rtf(path: Path, secret: Path) -> Path:
    """An RTF report whose INCLUDETEXT field names a local file."""
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\n"
                    "\\pard Before the field.\\par\n"
                    f'{{\\field{{\\*\\fldinst INCLUDETEXT "{secret}"}}{{\\fldrslt placeholder}}}}\\par\n'
                    "\\pard After the field.\\par\n}\n", encoding="ascii")
    return path


_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:ooo="http://openoffice.org/2004/office"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:scripts><office:event-listeners>
<script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:type="simple"
 xlink:href="vnd.sun.star.script:Standard.Module1.AutoOpen?language=Basic&amp;location=document"/>
</office:event-listeners></office:scripts>
<office:body><office:text>
<text:p>Before the link.</text:p>
<text:section text:name="Linked"><text:section-source xlink:href="{secret}" xlink:type="simple"
 text:filter-name="Text"/><text:p>placeholder</text:p></text:section>
<text:p><draw:frame draw:name="img" svg:width="1cm" svg:height="1cm"><draw:image xlink:href="{secret}"
 xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p>After the link.</text:p>
</office:text></office:body></office:document-content>"""
_ODT_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.2"><office:settings>
<config:config-item-set config:name="ooo:configuration-settings">
<config:config-item config:name="LinkUpdateMode" config:type="short">2</config:config-item>
<config:config-item config:name="FieldAutoUpdate" config:type="boolean">true</config:config-item>
</config:config-item-set></office:settings></office:document-settings>"""
_BASIC_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AutoOpen
  Dim n As Integer
  n = FreeFile
  Open "{marker}" For Output As #n
  Print #n, "the macro ran"
  Close #n
End Sub
</script:module>"""
_BASIC_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard"
 library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>"""
_BASIC_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
<library:library library:name="Standard" library:link="false"/></library:libraries>"""
_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="Basic/script-lc.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="Basic/Standard/script-lb.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def odt(path: Path, secret: Path, marker: Path) -> Path:
    """An .odt with a section and an image linked to a local file, set to update links on
    load, and a Basic macro bound to its load event that writes ``marker``."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        for name, text in (("content.xml", _ODT_CONTENT.format(secret=secret.as_uri())),
                           ("settings.xml", _ODT_SETTINGS),
                           ("Basic/script-lc.xml", _BASIC_LIBRARIES),
                           ("Basic/Standard/script-lb.xml", _BASIC_LIBRARY),
                           ("Basic/Standard/Module1.xml", _BASIC_MODULE.format(marker=marker)),
                           ("META-INF/manifest.xml", _MANIFEST)):
            package.writestr(name, text, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """The secret file, the macro's marker and the hostile documents (.doc made from the RTF by LibreOffice)."""
    soffice = require_tool("soffice", "LibreOffice converts the hostile documents")
    root = tmp_path_factory.mktemp("hostile")
    secret = root / "secret.txt"
    secret.write_text(SECRET_TEXT + "\n", encoding="utf-8")
    made = {"secret": secret, "marker": root / "macro-ran.txt",
            "rtf": rtf(root / "include.rtf", secret), "odt": odt(root / "linked.odt", secret, root / "macro-ran.txt")}
    convert.seed_profile(root / "profile")
    subprocess.run([soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(root / "doc"), str(made["rtf"])],
                   check=True, capture_output=True, timeout=180)
    made["doc"] = root / "doc" / "include.doc"
    return made


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())


@pytest.mark.parametrize("kind", ["rtf", "doc", "odt"])
def test_no_secret_and_no_macro_in_the_result(hostile, tmp_path, kind) -> None:
    hostile["marker"].unlink(missing_ok=True)
    result = convert.to_docx(hostile[kind], tmp_path / "work")
    text = package_text(result)
    assert "TOPSECRET" not in text
    assert "Before" in text and "After" in text  # the document itself was converted
    assert not hostile["marker"].exists()


def settings(profile: Path) -> dict[tuple[str, str], str]:
    """(path, name) → value of a profile's registrymodifications.xcu."""
    root = ET.parse(profile / convert.PROFILE_SETTINGS).getroot()
    return {(item.get(f"{OOR}path"), prop.get(f"{OOR}name")): prop.findtext("value")
            for item in root.iter("item") for prop in item.iter("prop")}


@pytest.mark.parametrize(("path", "name", "value"), [
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Writer/Content/Update", "Field", "false"),
])
def test_the_conversion_profile_disables_macros_and_link_updates(hostile, tmp_path, path, name, value) -> None:
    """Read back from the profile LibreOffice used (it rewrites the file on exit, keeping them)."""
    convert.to_docx(hostile["rtf"], tmp_path / "work")
    assert settings(tmp_path / "work" / "profile")[(path, name)] == value
