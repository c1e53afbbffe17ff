"""`rungate completion bash|zsh|fish`: a completion script, made from the command line's own
parser so that it lists exactly the commands and options there are.

    eval "$(rungate completion bash)"            # in ~/.bashrc
    eval "$(rungate completion zsh)"             # in ~/.zshrc
    rungate completion fish | source             # in ~/.config/fish/config.fish

Options complete after their command; files complete everywhere else, and the
options that take a fixed choice (``--comment-mode``) offer those choices.
"""

from __future__ import annotations

import argparse

from gate.commands.arguments import Context

SHELLS = ("bash", "zsh", "fish")


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_completion(shell=args.shell, parser=context.parser)


def run_completion(*, shell: str, parser: argparse.ArgumentParser) -> int:
    commands = _commands(parser)
    script = {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](commands)
    print(script, end="")
    return 0


Option = tuple[str, tuple[str, ...]]  # the option, and its choices (none: a value or a flag)


def _commands(parser: argparse.ArgumentParser) -> dict[str, list[Option]]:
    """Each command and its long options, as the parser defines them."""
    found: dict[str, list[Option]] = {}
    for action in parser._actions:  # argparse has no public way to list subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = [
                    (option, tuple(str(c) for c in sub_action.choices or ()))
                    for sub_action in sub._actions
                    for option in sub_action.option_strings
                    if option.startswith("--")
                ]
    return found


def _bash(commands: dict[str, list[Option]]) -> str:
    cases = []
    for name, options in commands.items():
        words = " ".join(option for option, _ in options)
        choices = "".join(
            f'      {option}) COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur")); return;;\n'
            for option, values in options
            if values
        )
        cases.append(
            f'    {name})\n      case "$prev" in\n{choices}      esac\n'
            f'      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "{words}" -- "$cur")); '
            'else COMPREPLY=($(compgen -f -- "$cur")); fi;;'
        )
    return (
        '# rungate completion for bash: eval "$(rungate completion bash)"\n'
        "_rungate() {\n"
        '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"\n'
        "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
        f'    COMPREPLY=($(compgen -W "{" ".join(commands)} --help --version" -- "$cur"))\n'
        "    return\n"
        "  fi\n"
        '  case "${COMP_WORDS[1]}" in\n' + "\n".join(cases) + "\n  esac\n}\n"
        "complete -o filenames -F _rungate rungate\n"
    )


def _zsh(commands: dict[str, list[Option]]) -> str:
    # zsh runs bash completions through bashcompinit: one script for both.
    return "autoload -U +X bashcompinit && bashcompinit\n" + _bash(commands)


def _fish(commands: dict[str, list[Option]]) -> str:
    lines = [
        "# rungate completion for fish: rungate completion fish | source",
        "complete -c rungate -f",
        f"complete -c rungate -n __fish_use_subcommand -a '{' '.join(commands)}'",
    ]
    for name, options in commands.items():
        seen = f"__fish_seen_subcommand_from {name}"
        lines.append(f"complete -c rungate -n '{seen}' -F")
        for option, values in options:
            choices = f" -x -a '{' '.join(values)}'" if values else ""
            lines.append(f"complete -c rungate -n '{seen}' -l {option[2:]}{choices}")
    return "\n".join(lines) + "\n"
