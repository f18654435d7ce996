"""Publish the built site to a static host directory, atomically; roll back; print the nginx config.

    python scripts/publish.py --site site --target /srv/kb-reports          # local path
    python scripts/publish.py --target deploy@web1:/srv/kb-reports           # over SSH (rsync)
    python scripts/publish.py --target /srv/kb-reports --rollback            # previous release
    python scripts/publish.py --target /srv/kb-reports --status
    python scripts/publish.py --print-nginx-conf --base /srv/kb-reports --listen 80 --server-name kb \
        --allow 10.0.0.0/8 --basic-auth /etc/nginx/kb-reports.htpasswd --access-log /var/log/kb/a.log
    python scripts/publish.py --print-csp --site site                        # hashes for the CSP

The target defaults to the environment variable KB_PUBLISH_TARGET. Logic: hooks/kb/deploy/
(release, remote, targets, csp, errors: publishing; nginxconf: who may read, TLS, audit log).
Every failure ends in one Chinese line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.deploy import csp, errors, nginxconf, release, remote, targets  # noqa: E402

NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "kb-reports.conf.template"
TARGET_ENV = "KB_PUBLISH_TARGET"


def parser() -> argparse.ArgumentParser:
    p = zh_argparse.Parser(
        description="把构建好的站点原子地发布到静态站点目录（本地路径或经 SSH），并可回滚。")
    p.add_argument("--site", type=Path, default=ROOT / "site", help="构建好的站点目录（默认 site/）")
    p.add_argument("--target", default=os.environ.get(TARGET_ENV, ""),
                   help="发布目标：本地路径、[用户@]主机:路径 或 ssh://用户@主机[:端口]/路径"
                        f"（默认取环境变量 {TARGET_ENV}）")
    p.add_argument("--keep", type=int, default=release.DEFAULT_KEEP,
                   help=f"保留最近几个版本（默认 {release.DEFAULT_KEEP}）")
    p.add_argument("--label", help="版本号中的标签（默认：当前提交的短哈希）")
    p.add_argument("--release-id", help="直接指定版本号（形如 20250101T120000Z-1a2b3c4d）")
    p.add_argument("--ssh-port", type=int, help="SSH 端口")
    p.add_argument("--ssh-key", help="SSH 私钥文件")
    p.add_argument("--known-hosts", help="known_hosts 文件（主机指纹，严格校验）")
    p.add_argument("--no-csp-check", action="store_true",
                   help="不检查站点的内联代码是否被 nginx 配置的 CSP 允许")
    p.add_argument("--dry-run", action="store_true", help="只检查并显示将要执行的操作")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--rollback", nargs="?", const="", metavar="ID",
                        help="回滚到上一个版本（或指定版本）")
    action.add_argument("--status", action="store_true", help="显示当前版本和已有版本")
    action.add_argument("--print-nginx-conf", action="store_true",
                        help="输出填好参数的 nginx 配置（参数和访问控制开关见下面的“nginx 配置”）")
    action.add_argument("--print-csp", action="store_true", help="输出站点内联代码所需的 CSP 哈希")
    nginx = p.add_argument_group(
        "nginx 配置（--print-nginx-conf）", "谁能阅读网站：可组合使用，说明见 deploy/README.md")
    nginx.add_argument("--base", default="/srv/kb-reports", help="发布目录")
    nginx.add_argument("--listen", help="listen 参数（默认 80；启用 HTTPS 时默认 443）")
    nginx.add_argument("--server-name", default="_", help="server_name（启用 HTTPS 时填证书上的域名）")
    nginx.add_argument("--allow", nargs="+", action="extend", default=[], metavar="CIDR",
                       help="只允许这些网段或地址访问，如 10.1.0.0/16 192.0.2.7（其余 403）")
    nginx.add_argument("--basic-auth", metavar="HTPASSWD",
                       help="用户名密码登录（HTTP 基本认证）：htpasswd 文件的绝对路径")
    nginx.add_argument("--auth-request", metavar="URL",
                       help="单点登录/LDAP 网关的校验地址（nginx auth_request），如 http://127.0.0.1:9091/auth")
    nginx.add_argument("--login-url", metavar="URL",
                       help="未登录时跳转的登录页（配合 --auth-request），"
                            "可含 $scheme $http_host $request_uri")
    nginx.add_argument("--auth-user-header", default=nginxconf.DEFAULT_USER_HEADER, metavar="NAME",
                       help=f"网关返回读者用户名的响应头（默认 {nginxconf.DEFAULT_USER_HEADER}），写入访问日志")
    nginx.add_argument("--tls-cert", metavar="PATH", help="启用 HTTPS：证书（含中间证书）文件")
    nginx.add_argument("--tls-key", metavar="PATH", help="启用 HTTPS：私钥文件")
    nginx.add_argument("--http-listen", metavar="LISTEN",
                       help="启用 HTTPS 时，跳转到 HTTPS 的 HTTP listen 参数（默认 80）")
    nginx.add_argument("--access-log", metavar="PATH",
                       help="审计访问日志文件（谁、何时、读了什么），如 /var/log/kb-reports/access.log")
    return p


def release_id(args: argparse.Namespace) -> str:
    if args.release_id:
        return release.check_release_id(args.release_id)
    label = args.label or release.default_label(dict(os.environ), ROOT)
    return release.make_release_id(dt.datetime.now(dt.UTC), label)


def nginx_options(args: argparse.Namespace) -> nginxconf.NginxOptions:
    return nginxconf.NginxOptions(
        base=args.base, listen=args.listen, server_name=args.server_name,
        allow=tuple(args.allow), basic_auth=args.basic_auth, auth_request=args.auth_request,
        login_url=args.login_url, auth_user_header=args.auth_user_header,
        tls_cert=args.tls_cert, tls_key=args.tls_key, http_listen=args.http_listen,
        access_log=args.access_log,
    )


def check_csp(site: Path) -> None:
    policy = nginxconf.nginx_csp(NGINX_TEMPLATE.read_text(encoding="utf-8"))
    problems = csp.csp_problems(csp.inline_code(site), policy)
    if problems:
        raise errors.PublishError(
            "站点中有 nginx 配置的 CSP 不允许的内联代码，发布后这些功能会失效：\n  "
            + "\n  ".join(problems)
            + f"\n请改用外部脚本/样式，或更新 {NGINX_TEMPLATE.relative_to(ROOT)} 中的哈希"
            "（python scripts/publish.py --print-csp）。"
        )


def dry_run(target: targets.Target, site: Path, rid: str, keep: int) -> str:
    if isinstance(target, release.LocalTarget):
        return f"将复制 {site} 到 {target.base}/releases/{rid}，切换 current，保留 {keep} 个版本"
    return "\n".join([
        "$ " + shlex.join(target.remote_argv()) + "  <<'EOF'",
        remote.prepare_script(target.path) + "EOF",
        "$ " + shlex.join(target.rsync_argv(site, rid, link_dest=True)),
        "$ " + shlex.join(target.remote_argv()) + "  <<'EOF'",
        remote.finalize_script(target.path, rid, keep) + "EOF",
    ])


def run(args: argparse.Namespace) -> str:
    if args.print_nginx_conf:
        options = nginx_options(args)
        text = nginxconf.render_nginx_conf(NGINX_TEMPLATE.read_text(encoding="utf-8"), options)
        for warning in nginxconf.warnings(options):
            print(warning, file=sys.stderr)
        return text
    if args.print_csp:
        release.require_site(args.site)
        return csp.csp_suggestion(csp.inline_code(args.site))
    target = targets.parse_target(args.target, port=args.ssh_port, identity=args.ssh_key,
                                  known_hosts=args.known_hosts)
    if args.status:
        return target.status().describe()
    if args.rollback is not None:
        return target.rollback(args.rollback or None).describe()
    release.require_site(args.site)
    if not args.no_csp_check:
        check_csp(args.site)
    rid = release_id(args)
    if args.dry_run:
        return dry_run(target, args.site, rid, args.keep)
    return f"发布到 {target.describe()}：" + target.publish(args.site, rid, args.keep).describe()


AFTERWARDS = "线上版本见 --status"


def main(argv: list[str] | None = None) -> int:
    """Run; any failure is one Chinese line on stderr (what failed, what to do), exit 1."""
    args = parser().parse_args(argv)
    try:
        out = run(args)
    except nginxconf.NginxConfigError as err:
        return fail(f"生成 nginx 配置失败：{err}")
    except errors.PublishError as err:
        return fail(f"发布失败：{err}")
    except OSError as err:  # a step not covered by kb.deploy: still no traceback
        return fail("发布失败：" + errors.describe_os_error("读写文件", err, AFTERWARDS))
    except KeyboardInterrupt:
        return fail(f"发布被中断（Ctrl+C）：未完成的上传不会上线；{AFTERWARDS}", 130)
    except Exception as err:  # noqa: BLE001 - the reader gets one line, not a traceback
        return fail(f"发布失败：意外错误（{type(err).__name__}）；{AFTERWARDS}。"
                    "请把所用命令和这一行报告给维护者")
    print(out, end="" if out.endswith("\n") else "\n")
    return 0


def fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
