"""Every knob of the product, read from the environment or a ``.env`` file.

The names are a contract with operators; secrets are ``SecretStr`` so they never print. Each
field's description is the operator documentation: the README's settings table and
``.env.example`` are generated from them (``make settings-docs``), and a test keeps them true.
Validators say what is wrong in words an operator can act on; ``bot.ops.settings_errors`` turns
them into one line per variable.
"""

from __future__ import annotations

import re
from datetime import time
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import EmailStr, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.ops.resources import conversations_dir

DEFAULT_CONVERSATION = "strategi-for-smabyer.toml"
MB = 1024 * 1024

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as a webhook ``secret_token``."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class Settings(BaseSettings):
    """Runtime configuration; built-in defaults run the whole product on one machine."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    # Telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        description="The bot's token from @BotFather. Without it, `run` starts the terminal "
        "chat when a terminal is attached, and refuses to start otherwise.",
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org",
        description="Root of the Bot API server (a self-hosted one lifts the 20 MB download "
        "limit).",
    )
    telegram_download_limit_bytes: int = Field(
        default=20 * MB,
        gt=0,
        description="Largest file the bot will try to download (Telegram's Bot API allows 20 MB).",
    )
    webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS address Telegram posts updates to (webhook mode, behind a "
        "reverse proxy); unset: long polling.",
    )
    webhook_listen: str = Field(
        default="0.0.0.0",  # a webhook must listen beyond loopback
        description="Address the webhook server listens on.",
    )
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, description="Port the webhook server listens on."
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Checked on every webhook request (A-Z, a-z, 0-9, _ and -); unset: a "
        "random one per start.",
    )
    telegram_global_rate: float = Field(
        default=30.0,
        gt=0,
        description="Messages a second to all chats together (Telegram's overall limit; edits "
        "and button answers do not count).",
    )
    telegram_chat_rate: float = Field(
        default=1.0,
        gt=0,
        description="Messages a second to one private chat, after a burst of "
        "TELEGRAM_CHAT_BURST.",
    )
    telegram_chat_burst: int = Field(
        default=10, ge=1, description="Messages a private chat may get at once before pacing."
    )
    telegram_group_rate_per_minute: float = Field(
        default=20.0, gt=0, description="Messages a minute to one group or channel."
    )

    # The web chat
    web_enabled: bool = Field(
        default=False,
        description="Serve the web chat beside Telegram in `innspill run` (`innspill web` "
        "serves it alone).",
    )
    web_listen: str = Field(
        default="127.0.0.1",
        description="Address the web chat listens on (loopback: put a reverse proxy with TLS "
        "in front).",
    )
    web_port: int = Field(
        default=8080, ge=1, le=65535, description="Port the web chat listens on."
    )
    web_public_url: str | None = Field(
        default=None,
        description="The address people open, e.g. `https://innspill.example.no/`; with https "
        "the cookie is sent only over HTTPS. Unset: `http://WEB_LISTEN:WEB_PORT/`.",
    )
    web_trusted_proxy: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Reverse proxies (addresses or networks, comma-separated, e.g. "
        "`127.0.0.1`) whose `X-Forwarded-For` names the client; from anyone else it is "
        "ignored.",
    )
    web_embed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Sites that may show the chat in an iframe (comma-separated origins, e.g. "
        "`https://www.harstad.kommune.no`); unset: no site may frame it.",
    )
    web_posts_per_minute: int = Field(
        default=120,
        ge=1,
        description="Answers, button presses and uploads one client address may send a "
        "minute (an office behind one address is many people).",
    )
    web_new_people_per_hour: int = Field(
        default=200,
        ge=1,
        description="New web chats one client address may start an hour.",
    )
    web_resume_attempts_per_hour: int = Field(
        default=10,
        ge=1,
        description="Wrong resume codes one client address may try an hour (all addresses "
        "together: 20 times as many).",
    )
    web_max_upload_bytes: int = Field(
        default=20 * MB,
        gt=0,
        description="Largest upload the web chat reads; a bigger request is refused before "
        "it is read.",
    )

    # Staff in Telegram
    admin_user_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list,
        description="Telegram user ids (comma-separated) who may use /statistikk, /eksport, "
        "/kompilering and /utboks; to everyone else these commands do not exist.",
    )
    staff_chat_id: int | None = Field(
        default=None,
        description="The staff group's chat id: a card per new submission, failed deliveries "
        "and a daily digest; unset: none of these.",
    )
    digest_time: time = Field(
        default=time(8, 0),
        description="When the daily digest goes to the staff chat (HH:MM, Norwegian time).",
    )

    # The consultation and the data
    conversation_file: Path = Field(
        default_factory=lambda: conversations_dir() / DEFAULT_CONVERSATION,
        description="The consultation (a TOML file).",
    )
    database_path: Path = Field(
        default=Path("var/innspill.sqlite3"),
        description="SQLite database; created 0600 in a 0700 folder.",
    )
    draft_retention_days: int = Field(
        default=30,
        gt=0,
        description="Drafts untouched this long are deleted (at start-up, daily, and by "
        "`innspill purge`).",
    )

    operator_name: str | None = Field(
        default=None,
        description="Who runs the bot and answers for the data, as people should read it in "
        "`/personvern` (e.g. `Kommunal- og distriktsdepartementet`); unset: the text says the "
        "bot's operator without a name.",
    )
    operator_contact: str | None = Field(
        default=None,
        description="How people reach the operator about their data (an e-mail address or a "
        "web page), shown in `/personvern`; unset: not shown.",
    )

    # Delivery
    mail_transport: Literal["file", "smtp"] = Field(
        default="file",
        description="`file` (`.eml` files in `OUTBOX_DIR`) or `smtp`.",
    )
    outbox_dir: Path = Field(
        default=Path("var/outbox"), description="Where the `file` transport writes."
    )
    mail_from: str = Field(
        default="innspill <innspill@localhost>", description="Sender address of every e-mail."
    )
    recipient_override: EmailStr | None = Field(
        default=None,
        description="Send every e-mail (to the ministry and receipts) here instead: staging.",
    )
    smtp_host: str = Field(default="localhost", description="SMTP server.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP port.")
    smtp_user: str | None = Field(default=None, description="SMTP user name, if it needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="starttls",
        description="`none` (plain, e.g. a local mail catcher), `starttls` or `tls`.",
    )
    smtp_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the SMTP server."
    )
    smtp_ca_file: Path | None = Field(
        default=None,
        description="CA bundle to trust for an internal SMTP relay (default: the system's).",
    )
    outbox_poll_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How often the outbox worker looks for due e-mail (a new submission wakes "
        "it at once).",
    )
    max_submission_bytes: int = Field(
        default=20 * MB,
        gt=0,
        description="Largest e-mail to the ministry as sent, encoded: documents grow by a "
        "third in base64, so they may total about 3/4 of it. 20 MB stays under common 25 MB "
        "relay limits.",
    )
    send_receipts: bool = Field(
        default=True,
        description="E-mail a receipt (reference and themes, none of the person's text) to "
        "respondents who gave an address.",
    )
    receipts_per_address_per_day: int = Field(
        default=3,
        ge=0,
        description="Receipts sent to one address per day at most (the address is not "
        "confirmed; 0: none).",
    )

    # Abuse limits
    max_submissions_per_hour: int = Field(
        default=3, ge=1, description="Submissions one person may send in an hour."
    )
    max_uploads_per_hour: int = Field(
        default=30, ge=1, description="Documents one person may upload in an hour."
    )

    # Operations
    stop_grace_seconds: float = Field(
        default=20.0,
        gt=0,
        description="On SIGTERM, how long the bot keeps handling the updates it has; the rest "
        "are handled after the restart. Keep it below the container's stop grace (30 s in "
        "docker-compose.yml).",
    )
    log_level: LogLevel = Field(
        default="INFO", description="`DEBUG`, `INFO`, `WARNING` or `ERROR`."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="`text` (one `key=value` line per event) or `json` (one object per line).",
    )
    log_stats_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How often to log a line counting updates, submissions and deliveries "
        "(0: never).",
    )
    health_pending_minutes: float = Field(
        default=60.0,
        gt=0,
        description="`innspill health` fails when an e-mail has waited this long.",
    )
    health_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long `innspill health` waits for the Bot API."
    )

    @field_validator("admin_user_ids", "web_trusted_proxy", "web_embed_origins", mode="before")
    @classmethod
    def _id_list(cls, value: Any) -> Any:
        """``123, 456`` (the way people write a list in an environment variable), or ``[]``."""
        if isinstance(value, str):
            parts = value.strip().removeprefix("[").removesuffix("]").split(",")
            return [part.strip() for part in parts if part.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        """``info`` is as good as ``INFO``."""
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", "mail_transport", "smtp_security", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        """``SMTP`` is as good as ``smtp``."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_TOKEN.match(value.get_secret_value()):
            raise ValueError("kan bare inneholde A-Z, a-z, 0-9, _ og - (1 til 256 tegn)")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError("må være en http(s)-adresse, f.eks. https://api.telegram.org")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parsed = urlparse(value)
        if parsed.scheme != "https" or not parsed.netloc:
            raise ValueError("må være en https-adresse (Telegram kaller bare HTTPS)")
        return value

    @field_validator("web_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError("må være en http(s)-adresse, f.eks. https://innspill.example.no/")
        return value

    @field_validator("web_trusted_proxy")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"«{item}» er ikke en IP-adresse eller et nett, f.eks. 127.0.0.1 eller "
                    "10.0.0.0/8"
                ) from None
        return value

    @field_validator("web_embed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for item in value:
            parsed = urlparse(item)
            plain = parsed.scheme in {"http", "https"} and parsed.netloc and not parsed.path
            if not plain or any(ch in item for ch in " ;,'\""):
                raise ValueError(
                    f"«{item}» er ikke en opprinnelse, f.eks. https://www.harstad.kommune.no"
                )
        return value

    @field_validator("mail_from")
    @classmethod
    def _sender(cls, value: str) -> str:
        from bot.mail.headers import mailbox  # here: bot.mail imports this module

        try:
            mailbox(value)
        except ValueError:
            raise ValueError(
                "er ikke én gyldig e-postadresse, f.eks. innspill <innspill@kommune.no>"
            ) from None
        return value

    @field_validator("conversation_file")
    @classmethod
    def _existing_file(cls, value: Path) -> Path:
        if not value.is_file():
            raise ValueError(f"filen {value} finnes ikke")
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _existing_optional_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"filen {value} finnes ikke")
        return value

    @field_validator("database_path")
    @classmethod
    def _file_path(cls, value: Path) -> Path:
        if value.is_dir():
            raise ValueError(
                f"{value} er en mappe; oppgi en fil, f.eks. {value / 'innspill.sqlite3'}"
            )
        _check_folder_can_exist(value.parent)
        return value

    @field_validator("outbox_dir")
    @classmethod
    def _folder_path(cls, value: Path) -> Path:
        _check_folder_can_exist(value)
        return value


def _check_folder_can_exist(folder: Path) -> None:
    """Fail if ``folder``, or the nearest part of it that exists, is a file."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                raise ValueError(f"{part} er en fil, ikke en mappe")
            return


SHOWN_DEFAULTS = {"conversation_file": f"conversations/{DEFAULT_CONVERSATION}"}
"""Defaults shown to operators where the real one is computed (an absolute path)."""
