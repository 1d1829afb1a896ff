"""Delivery: compose the e-mails, send them through a transport, and run the outbox.

``headers`` makes anything bound for a header safe; ``compose`` builds the messages (pure);
``transport`` does the I/O (``.eml`` files or SMTP); ``outbox`` ties storage and transport
together with retries and a fixed Message-ID per message. Import the module you need: this
package imports nothing, so the pure parts never pull in SMTP or the settings.
"""
