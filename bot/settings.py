"""Every knob of the product, read from the environment or a ``.env`` file.

The names are a contract with operators; secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import EmailStr, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.resources import conversations_dir

DEFAULT_CONVERSATION = "strategi-for-smabyer.toml"


class Settings(BaseSettings):
    """Runtime configuration; built-in defaults run the whole product on one machine."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    conversation_file: Path = Field(
        default_factory=lambda: conversations_dir() / DEFAULT_CONVERSATION
    )
    database_path: Path = Path("var/innspill.sqlite3")

    # Delivery
    mail_transport: Literal["file", "smtp"] = "file"
    outbox_dir: Path = Path("var/outbox")
    mail_from: str = "innspill <innspill@localhost>"
    recipient_override: EmailStr | None = None
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout: float = 30.0
    smtp_ca_file: Path | None = None
    """A CA bundle to trust for the SMTP server (an internal mail relay); default: the system's."""
    outbox_poll_seconds: float = 15.0
    max_submission_bytes: int = 20 * 1024 * 1024
    send_receipts: bool = True

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_download_limit_bytes: int = 20 * 1024 * 1024
    """Telegram's Bot API lets bots download 20 MB; a self-hosted Bot API server allows more."""
    telegram_global_rate: float = 30.0
    """Messages a second to all chats together (Telegram's overall limit; edits do not count)."""
    telegram_chat_rate: float = 1.0
    """Messages a second to one private chat, after a burst of ``telegram_chat_burst``."""
    telegram_chat_burst: int = 10
    telegram_group_rate_per_minute: float = 20.0
    """Messages a minute to one group or channel."""
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook must listen beyond loopback
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None

    # Privacy
    draft_retention_days: int = 30
    """Drafts untouched for this long are deleted by ``innspill purge`` and the bot itself."""

    log_level: str = "INFO"
