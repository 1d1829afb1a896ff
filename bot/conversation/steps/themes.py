"""The choice of themes: toggles, then «Ferdig»; each chosen theme is then asked in turn."""

from __future__ import annotations

from bot.conversation.context import Ctx
from bot.conversation.events import Choice
from bot.conversation.names import Pick, Step
from bot.conversation.navigation import advance, show, unskip
from bot.conversation.steps.base import BaseStep


class Themes(BaseStep):
    """Which themes the person wants to say something about."""

    id = Step.THEMES

    def label(self, ctx: Ctx) -> str:
        """The choice of themes."""
        return ctx._("Valg av tema")

    def text(self, ctx: Ctx) -> str:
        """Choose one or more."""
        return ctx._("Hvilke tema vil du si noe om? Velg ett eller flere, og trykk «Ferdig».")

    def choices(self, ctx: Ctx) -> list[Choice]:
        """Each theme as a toggle, then «Ferdig»."""
        chosen = ctx.s.themes
        return [Choice(t.id, ctx.t(t.title), selected=t.id in chosen) for t in ctx.c.themes] + [
            Choice(Pick.DONE, ctx._("Ferdig ➡️"))
        ]

    def on_choice(self, ctx: Ctx, choice: str) -> None:
        """Toggle a theme in place, or go on with those chosen."""
        s = ctx.s
        if choice == Pick.DONE:
            if not s.themes:
                ctx.say(
                    ctx._("Velg minst ett tema, eller skriv /hopp for å gå rett til spørsmålene.")
                )
                return
            unskip(s, Step.THEMES)
            s.themes = [t.id for t in ctx.c.themes if t.id in s.themes]
            advance(ctx)
            return
        if choice in s.themes:
            # The theme's answer is kept (a slip of the finger must not lose it); only chosen
            # themes are asked, summarised and sent.
            s.themes.remove(choice)
        else:
            s.themes.append(choice)
        show(ctx, replace_previous=True)

    def is_answered(self, ctx: Ctx) -> bool:
        """At least one theme is chosen."""
        return bool(ctx.s.themes)

    def is_skippable(self, ctx: Ctx) -> bool:
        """Themes are optional: the questions follow."""
        return True

    def may_rest_off_path(self, ctx: Ctx) -> bool:
        """The quick path reaches the themes from the summary, when the file has themes."""
        return bool(ctx.c.themes)
