"""Every rule a contributor's file can break, in one catalogue: its id, what
it checks, how to fix it, and the messages it gives.

The checks raise a problem by key, `rule-id` or `rule-id/variant` (one
rule, several ways of being broken), with the values its templates name:
`problem("bad-date/year", path, line, col, source, value=..., key=...)`.
Messages and hints are `str.format` templates. CONTRIBUTING.md's list of
rules is made from here (`make rules`, fieldref.py), and a test fails on a problem built
anywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from .problems import Problem


@dataclass(frozen=True)
class Message:
    text: str                # the message, a str.format template
    hint: str = ""           # what to do, likewise
    severity: str = "error"  # "warning" never fails a build


@dataclass(frozen=True)
class Rule:
    id: str
    checks: str   # what the rule checks, in one line
    fix: str      # how to fix it, for the contributor guide
    messages: MappingProxyType  # variant ("" for the first) -> Message


def rule(rule_id: str, checks: str, fix: str, **messages: Message) -> Rule:
    # Variants are keyword arguments: `_` is the rule's plain message, and
    # `a_b` is said `a-b` (a variant named like a Python name cannot hold a hyphen).
    variants = {("" if name == "_" else name.replace("_", "-")): message for name, message in messages.items()}
    return Rule(rule_id, checks, fix, MappingProxyType(variants))


# The hints several variants share.
SHOW_TEXT = ("Pages show text, links, images, lists and tables only; remove it. "
             "To show HTML as an example, put it in `backticks`.")
SYMLINK = "Commit the file itself, not a link to it: links are never followed."
WORK_HINT = ("Each file is read whole before it is published, and these take long to read: publish fewer of "
             "them with this resource, save them again more simply, or link to some over https.")
MISLEADING_HINT = ("Readers trust an address they can read: text that reads as one must be where the link goes. "
                   "Write what the link is, as in [Carers strategy (gov.scot)](https://www.gov.scot/...), or give "
                   "the address itself as the text.")
MAX_FILE_HINT = ("Readers on a phone would wait minutes for it, and the repository keeps every version. "
                 "Make it smaller (a PDF saved for the web, images at screen size), or put it where the team keeps "
                 "large files and link to it over https, for example [Full report (PDF, 45 MB)](https://...).")
FILE_CHECK_HINT = ("Export the file again from the program that made it, without scripts, attachments, actions or a "
                   "signature (for a PDF: Print to PDF, or Save as PDF/A), or link to it on another website over "
                   "https.")
FORMULA_HINT = ("A spreadsheet runs a cell that starts with =, or with +, - or @ and reaches another program (|), "
                "another file's cell (written, or through INDIRECT), a link or a function that fetches: it could start a program or reach another "
                "computer. Put a ' before it, or remove the formula.")
LINK_IN_FILE_HINT = ("A reader trusts an address they can read: in the program that made the file, make the link's "
                     "text say where it goes (or give the address itself as the text), and take out any letters "
                     "drawn hidden, white or tiny in it, then save it again.")
SYNONYM_FORM = "Each group is `slug:` followed by a list of `- word or phrase` lines."
CHARACTER = "{name} holds {what} (U+{code:04X}, written `{written}`){more}"
ONE_LINE = "{name} runs over more than one line"
UNSAFE_OUTPUT = ("Nothing on a page may run, embed, restyle or redirect except the site's own code. "
                 "Remove it from the source; if the source looks clean, the theme or a generator let it through: "
                 "tell a maintainer.")
BLOCK_ELEMENTS = "the body has {count:,} {kind}; the limit is {limit:,} (this is number {number:,})"
NOT_ONE_OF = "`{value}` is not one of the {kind}"
REQUIRED_TEXT = "{name} must be text, but YAML read `{typed}` as {found}"
HTTPS_OR_PATH = "{name} must be an https: link or a relative path"
SCHEME = "the link `{target}` is a `{scheme}:` address"
OTHER_SCHEMES = "Pages link only to web (https), email (mailto) and phone (tel) addresses; remove it."

M = Message
RULES = MappingProxyType({r.id: r for r in (
    # Reading the file
    rule("encoding", "The file is UTF-8.", "Save the file as UTF-8 (most editors offer this under 'Save with encoding').",
         _=M("the file is not UTF-8 (byte 0x{byte:02x})",
             "Save the file as UTF-8; most editors offer this under 'Save with encoding'."),
         yaml=M("the file is not UTF-8", "Save the file as UTF-8.")),
    rule("too-large", "A file is at most 512 KB, and its front matter under 16 KB.",
         "Move large material into a download, or long text from front matter into the body.",
         _=M("the file is {size:,.0f} KB; the limit is {limit} KB",
             "Move large material into a download (see `downloads:`) or split the resource."),
         front_matter=M("the front matter is over {limit} KB",
                        "Front matter holds short fields; move long text into the body.")),
    rule("control-character", "No invisible control or direction-reversing character, typed or written as an "
         "escape in double quotes (`\"\\x01\"`, `\"\\u202E\"`, `\"\\r\"`).",
         "Delete it (it is often pasted from another program) and retype the text around it.",
         _=M("the file holds {what} (U+{code:04X}, written `{written}`)",
             "Delete it: it often comes from copying out of another program. Retype the text around it."),
         paste=M(CHARACTER, "{action}; the value reads \"{shown}\". Write {paste}"),
         escape=M(CHARACTER, "{action}; the value reads \"{shown}\". In double quotes, `{written}` "
                             "is this character: type the text itself instead.")),
    rule("front-matter-missing", "The file starts with `---`, a block of `field: value` lines, and another `---`.",
         "Start the file with a line `---`, the fields (see `make new`), and another `---`.",
         _=M("the file does not start with front matter",
             "Start the file with a line `---`, the fields (see `make new`), and another `---`.")),
    rule("front-matter-unclosed", "The front matter ends with a `---` line.",
         "Add a line `---` after the last field, before the body text.",
         _=M("the front matter is never closed", "Add a line `---` after the last field, before the body text.")),
    rule("front-matter-not-mapping", "The front matter is a set of `field: value` lines.",
         "Write one `field: value` per line between the two `---` lines.",
         _=M("the front matter is not a set of `field: value` lines",
             "Write one `field: value` per line between the two `---` lines.")),
    rule("too-deep", "Front matter is nested at most 8 levels deep.", "Flatten the value.",
         _=M("the front matter is nested more than {limit} levels deep",
             "Front matter holds fields, lists and short records such as speakers; flatten this value.")),
    rule("yaml-syntax", "The YAML can be read.",
         "Often a tab used for indentation, or a value with `: ` that needs quotes: the hint says which.",
         _=M("invalid YAML: {error}", "Check the indentation and quoting on this line and the one before it."),
         unclosed=M("invalid YAML: this `{opening}` is never closed",
                    "Close it on the same line with `{closing}`, for example {example}"),
         tabs=M("invalid YAML: {error}", "Indent with spaces, not tabs."),
         colon_paste=M("invalid YAML: {error}", "A value that contains `: ` must be in quotes: {key}: \"{value}\""),
         colon=M("invalid YAML: {error}",
                 "A value that contains `: ` must be in quotes, for example summary: \"Planning: a guide\"."),
         no_colon=M("invalid YAML: {error}",
                    "Each line needs `field: value`; if a value runs onto a second line, put it in quotes."),
         unread=M("invalid YAML: {error}",
                  "Check the front matter for unusual characters and for values that need quotes.")),
    rule("duplicate-key", "Each field appears once.", "Keep one of the two lines.",
         _=M("`{key}` appears twice (first on line {first})",
             "Keep one: YAML would silently use the last value and drop the first.")),
    rule("yaml-alias", "No YAML anchors (`&`) or aliases (`*`).", "Write each value out in full.",
         _=M("YAML alias `*{anchor}` is not allowed", "Write the value out in full; anchors and aliases are refused."),
         anchor=M("YAML anchor `&{anchor}` is not allowed",
                  "Remove the `&name` anchor and write each value out in full.")),
    rule("yaml-tag", "No YAML tags (`!!`).", "Remove the tag.",
         _=M("the YAML tag `{tag}` is not allowed",
             "Remove the `!!...` tag; front matter holds plain text, numbers, dates and lists."),
         key=M("the YAML tag `{tag}` is not allowed", "Remove the `!!...` tag.")),
    rule("yaml-comment", "No ` #` in an unquoted value, where it starts a comment and cuts the value short.",
         "Put the whole value in quotes.",
         _=M("`{key}` is cut short to `{value}`: YAML reads ` #...` as a comment",
             "Put the whole value in quotes: {key}: \"{value}{rest}\"")),
    rule("unreadable", "Every file can be read.", "Check the file's permissions, or restore it from git.",
         _=M("the file cannot be read ({error})", "Check the file's permissions: it must be readable by the build."),
         docs=M("the file cannot be read ({error})", "Check the file's permissions."),
         vocabulary=M("cannot read the {kind} vocabulary ({error})", "Restore {shown} from git.")),
    rule("symlink", "No symbolic links among the resources, their files or docs/.", SYMLINK,
         _=M("{shown} is a symbolic link", SYMLINK)),
    # Files and their names
    rule("file-location", "A resource lives directly in its type's folder.", "Move it out of the subfolder.",
         _=M("resources live directly in {folder}/, not in a subfolder", "Move it to {folder}/{name}.")),
    rule("file-name", "A resource's file name is a lowercase slug ending in `.md`, and not `index.md`.",
         "Rename it with lowercase letters, digits and single hyphens.",
         _=M("`{name}` is not a lowercase slug",
             "Rename it {slug}.md: lowercase letters, digits and single hyphens."),
         index=M("`index.md` is the type's listing page, not a resource",
                 "Give the resource a name of its own; to replace the listing, add docs/{folder}/index.md instead."),
         portable=M("`{name}` is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9), or longer "
                    "than {limit} characters, so the offline copy could not be unzipped there",
                    "Rename it with a few words of its title, in lowercase letters, digits and single hyphens."),
         encoding=M("`{name}` has a name that is not UTF-8 text (bytes no character stands for), so it can be "
                    "neither read nor published", "Rename it with lowercase letters, digits and hyphens: "
                                                  "git mv, or delete it and add it again under a plain name."),
         docs=M("`{shown}` has a dot in its name, so its address ({address}) looks like a file, and may be one the "
                "site writes", "Rename it with letters, digits and hyphens, as in {suggested}.")),
    rule("duplicate-slug", "Each resource's file name is unique across the library.", "Rename one of the files.",
         _=M("the slug `{slug}` is also used by {other}",
             "Rename one of the files so that each resource has its own slug.")),
    rule("duplicate-url", "No resource is published at the address of a page in docs/.",
         "Rename the resource or move the page.",
         _=M("docs/{page} would be published at the same address", "Rename the resource or move the page in docs/.")),
    # Fields
    rule("missing-field", "Every required field is there, with a value.", "Add the field; the hint says what it holds.",
         _=M("required field `{key}` is missing", "Add a line `{key}: ...`; {description}"),
         empty=M("required field `{key}` has no value", "{description}"),
         withdrawn=M("a withdrawn resource needs `withdrawn_reason`",
                     "Add withdrawn_reason: one sentence saying why, and replaced_by: if something replaces it."),
         entry=M("{name} has no {missing}", "Each entry in {where} needs {fields}."),
         entry_instead=M("{name} has no {missing}, and has {extra}, which is not a field here",
                         "Write {missing} in place of {extra}: each entry in {where} needs {fields}.")),
    rule("unknown-field", "Every field is one this type of resource has.", "Remove it, or correct its name.",
         _=M("unknown field `{key}`", "Allowed fields: {allowed}."),
         guess=M("unknown field `{key}`", "Did you mean `{guess}`?"),
         other_type=M("`{key}` is only for another type of resource",
                      "Remove it; `{key}` applies to webinars, and this is in {type}/."),
         entry=M("{name} has an unknown field {extra}",
                 "Remove it, or correct its name; the fields here are {allowed}."),
         docs=M("an editor's page has no field `{key}`",
                "Remove it; a page in docs/ may set {allowed}. The site writes its other page data itself."),
         docs_lines=M("`{key}:` at the top of the page is read by MkDocs as page data (MultiMarkdown), not shown",
                      "Page data goes between --- lines at the top of the page ({allowed}); to show the line as "
                      "text, start the page with a heading or a blank line.")),
    rule("wrong-type", "A field is of its kind: text, a list, a number, true or false.",
         "Quote text that YAML reads as a number or a date; write a list as a list.",
         list=M("{name} must be a list, not {found}", "Write it as a list: {key}: {example}, or one `- value` per line."),
         nested=M("{name} must be text, not {found}", "Write one list, with no brackets inside it: {key}: {example}"),
         text=M(REQUIRED_TEXT, "Put the value in quotes: {key}: \"{typed}\""),
         text_item=M(REQUIRED_TEXT, "Put the value in quotes: \"{typed}\""),
         kind=M("{name} must be {expected}, not {found}", "{hint}"),
         date=M("`{key}` must be text, but YAML read `{value}` as a date", "Put the value in quotes: {key}: \"{value}\""),
         long_number=M("`{key}` holds a number {digits:,} digits long, too long to read",
                       "If it is meant as text, put it in quotes; if not, shorten it."),
         long_number_top=M("the front matter holds a number {digits:,} digits long, too long to read",
                           "If it is meant as text, put it in quotes; if not, shorten it."),
         docs=M("`{key}` must be text", "Put it in quotes: {key}: \"...\""),
         docs_hide=M("`hide` must be a list of what the page hides: {allowed}",
                     "Write it as a list, such as hide: [navigation, toc]")),
    rule("bad-value", "A value is in range and in form; a one-line field is on one line.",
         "Follow the hint, which says what the field holds.",
         _=M("{name}: {problem}", "{description}"),
         twice=M("{name} lists the same value twice", "List each value once."),
         invisible=M("{name} shows nothing: every character in it is drawn as nothing (a filler, a soft hyphen, a "
                     "zero-width space)", "Type the text again: it was probably pasted with characters that are not "
                     "letters."),
         replaced_by=M("{name}: {problem}", "Write it as type/slug: replaced_by: {key}"),
         one_line=M(ONE_LINE, "Write {key} on one line, in quotes if it holds a colon.")),
    rule("not-in-vocabulary", "A function, programme, topic or status is in the allowed list.",
         "Use a slug from `vocabulary/`, or ask an editor to add a new one.",
         enum=M("{name} cannot be `{value}`", "Allowed: {allowed}."),
         enum_guess=M("{name} cannot be `{value}`", "Did you mean `{guess}`? Allowed: {allowed}."),
         _=M(NOT_ONE_OF, "Allowed: {allowed} (from vocabulary/{kind}.yml). For a new one, ask an editor to add it to "
                         "vocabulary/{kind}.yml in your pull request (a slug, a name and a description), or choose "
                         "the nearest above."),
         guess=M(NOT_ONE_OF, "Did you mean `{guess}`? Allowed: {allowed} (from vocabulary/{kind}.yml)."),
         more=M("{count} more values in `{key}` are not {kind}: {sample}",
                "Use only slugs from vocabulary/{kind}.yml, as listed above.")),
    rule("too-many-terms", "At most 12 topics and 8 programmes on one resource.",
         "Tag the few it is mostly about.",
         _=M("`{key}` lists {count:,} {kind}; the limit is {limit} (this is number {number})",
             "Keep the few {kind} the resource is mostly about: a resource tagged with everything is related to "
             "everything, and is listed on every page (see How tags choose related resources in CONTRIBUTING.md).")),
    rule("placeholder", "No `TODO` from the template is left.", "Replace it with the real value or text.",
         _=M("{name} still has the template's {placeholder} placeholder", "Replace the placeholder with the real value."),
         terms=M("{name} still has the template's {placeholder} placeholder",
                 "Replace it with one or more of: {terms} (from vocabulary/{kind}.yml)."),
         body=M("the body still has a template placeholder", "Replace the TODO text with the resource's content.")),
    # Dates
    rule("bad-date", "Dates are real `YYYY-MM-DD` dates (a webinar's start, `YYYY-MM-DDTHH:MM` in quotes), "
         "from 1970 to 2100.", "Write the date as the hint shows.",
         date=M("`{key}` must be a date as YYYY-MM-DD, not `{typed}`", "{hint}"),
         time=M("`{key}` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `{typed}`", "{hint}"),
         change=M("{name} must be a date as YYYY-MM-DD, not `{typed}`", "{hint}"),
         unreal=M("`{value}` is not a real date ({error})", "{hint}"),
         unreal_time=M("`{value}` is not a real date and time ({error})", "{hint}"),
         year=M("`{value}` is not a likely date for `{key}`",
                "Use a year from {first} to {last}; for example {key}: {example}")),
    rule("clock-change", "A webinar does not start in the hour the clocks change, which is not one moment.",
         "Choose a start outside 1am to 2am on that day.",
         forward=M("`{value}` does not exist: the clocks go forward an hour then in UK time",
                   "Webinar times are UK time; choose a start outside 1am to 2am on the day the clocks "
                   "change, so the time and the calendar entry mean one moment."),
         back=M("`{value}` happens twice: the clocks go back an hour then in UK time",
                "Webinar times are UK time; choose a start outside 1am to 2am on the day the clocks "
                "change, so the time and the calendar entry mean one moment.")),
    rule("date-order", "`updated` is not before `published`.", "Correct one of the two dates.",
         _=M("`updated` is before `published`", "A resource can only be updated after it was published.")),
    rule("review-dates", "`next_review_due` is after `last_reviewed`, and at most three years after it.",
         "Set the next review after the last, usually a year later.",
         _=M("`next_review_due` is not after `last_reviewed`",
             "Set the next review after the last one, usually one year later."),
         far=M("`next_review_due` is more than {years} years after `last_reviewed`",
               "Review at least every {years} years; set it on or before {latest}.")),
    rule("review-due", "A warning only: a current resource's review is due within 60 days.",
         "The owner should review the resource.",
         _=M("a review is due on {due}", "Let the owner know the review is coming up.", "warning")),
    rule("review-overdue", "A warning only: a current resource's review date has passed.",
         "The owner should review it, then update `last_reviewed` and `next_review_due`.",
         _=M("the review was due on {due}",
             "The owner should review it, then update last_reviewed and next_review_due.", "warning")),
    rule("change-order", "`changes:` is newest first.", "Put the newest change at the top of the list.",
         _=M("`changes` must be newest first, but {day} comes after {before}",
             "Put the newest change at the top of the list.")),
    rule("change-dates", "No change is before `published` (or after today: a warning), and the newest change's "
         "date is `updated`.", "Correct the date, or set `updated` to the newest change's.",
         _=M("a change on {day} is before `published` ({published})",
             "A resource can only change after it was first published; check the date."),
         future=M("a change on {day} is in the future", "Date a change on the day it is published.", "warning"),
         no_updated=M("`changes` is given but `updated` is not",
                      "Add updated: {newest} (the date of the newest change)."),
         updated=M("`updated` is {updated}, but the newest change is {newest}",
                   "Set updated: {newest}, or add a note for the change on {updated}.")),
    rule("change-note", "Each note in `changes:` is one line.", "Say what changed for readers, in one line.",
         _=M(ONE_LINE, "Keep each note to one line; say what changed for readers, not how.")),
    # What a page may hold
    rule("jinja", "No template syntax (`{{`, `{%`, `{#`) in front matter: resources are never run as templates.",
         "Remove the braces or reword.",
         _=M("{name} contains a template delimiter ({{{{, {{% or {{#)",
             "Front matter is plain text; remove the braces or reword.")),
    rule("render-macros", "No resource sets `render_macros`; in `docs/`, only the pages listed under "
         "`extra.macro_pages` in `mkdocs.yml` may.", "Remove the line, or ask a maintainer to list the page.",
         _=M("`render_macros` is not allowed in a resource",
             "Resources are shown as written and never run as templates; remove this line."),
         docs=M("only the pages listed under `extra.macro_pages` in mkdocs.yml may set `render_macros`",
                "Macros run as code when the site is built; ask a maintainer to list the page, or remove the line.")),
    rule("unsafe-html", "No scripts, event handlers or `javascript:` links anywhere, and nothing the HTML "
         "allow-list would remove (text, links, images from this site, lists, tables, code, details, admonitions "
         "are kept), so what is published is what you wrote.",
         "Remove it, or show it as code in backticks.",
         front_matter=M("{name} contains a script, an event handler or a javascript: URL",
                        "Front matter is plain text; remove the HTML."),
         script=M("the body contains a <script> tag",
                  "Resources cannot run scripts; remove it, or show it as code in backticks."),
         handler=M("the body contains an event-handler attribute",
                   "Resources cannot run scripts; remove it, or show it as code in backticks."),
         javascript=M("the body contains a javascript: URL",
                      "Resources cannot run scripts; remove it, or show it as code in backticks."),
         element=M("the body contains the <{element}> element, which pages cannot show", SHOW_TEXT),
         attr_list=M("the attribute list `{written}` gives {what}",
                     "Remove it: pages take their look from the site (a heading may keep an id of its own, "
                     "such as {{#my-section}})."),
         attribute=M("the <{tag}> tag has the `{name}` attribute; pages may not use it",
                     "Remove it: pages take their look and behaviour from the site. An element keeps only "
                     "{allowed}."),
         target=M("the link has a `target` attribute, which pages cannot use",
                  "Remove target; the site opens links in the same tab, and readers choose where a link opens."),
         admonition=M("the note's type or class `{kind}` is not one pages can show",
                      "Use one of {allowed}, as in `!!! note \"Title\"`; side notes (`inline`, `inline end`) are "
                      "not used here."),
         css_class=M("the <{tag}> tag has the class `{value}`; pages may not use it",
                      "Remove it: pages take their look from the site. For a note, write `!!! note` on a line of its "
                  "own."),
         style=M("the <{tag}> tag has a `style` attribute, which pages cannot use",
                 "Remove it: pages take their look from the site (a table's column may be aligned with `:` in its "
                 "`|---|` line)."),
         id_reserved=M("the <{tag}> tag has the id `{value}`, reserved for the site itself",
                       "Choose another id, one not starting `md-`, `__`, `lib--` or `finder-`."),
         id_form=M("the <{tag}> tag has the id `{value}`, which is not an id pages can use",
                   "An id starts with a letter and holds at most 81 letters, digits, `-` and `_`, "
                   "such as `my-section`."),
         javascript_encoded=M(SCHEME + ", written with character references",
                              "Resources cannot run scripts; remove the link."),
         javascript_hidden=M(SCHEME + ", with white space inside that a browser ignores",
                             "Resources cannot run scripts; remove the link."),
         scheme=M(SCHEME, OTHER_SCHEMES),
         scheme_encoded=M(SCHEME + ", written with character references", OTHER_SCHEMES),
         remote_image=M("the image `{target}` is loaded from another website",
                        "Every reader's browser would ask that site for it. Save the image in "
                        "{type}/files/ and link to it there, for example `files/chart.png`."),
         markdown_attribute=M("the <{tag}> tag's `{name}` holds `{written}`, which Markdown makes into a tag "
                              "inside the attribute", "Write the attribute's text without a Markdown link, or put "
                              "the link outside the tag."),
         comment=M("the HTML comment opened as `{written}` is over at once in a browser, but Markdown reads on "
                   "to the next `-->`, so the two show different things",
                   "Write a comment as `<!-- note -->`, with a space after `<!--`, or remove it."),
         page=M("the page's HTML {what}: that is not allowed", SHOW_TEXT)),
    rule("misleading-link", "A link whose text or tooltip reads as a web or email address goes to that address "
         "(its host, or a domain above it); only a heading's own permalink has the class `headerlink`.",
         "Write what the link is as its text, or make the text the address it goes to.",
         _=M("the link's text shows `{shown}`, but it goes to `{target}`", MISLEADING_HINT),
         number=M("the link's text shows the number `{shown}`, but it goes to `{target}`",
                  "A phone number on a link promises a call to it: link the number with tel: "
                  "([0131 623 4300](tel:+441316234300)), and a page with words."),
         title=M("the link's tooltip shows `{shown}`, but it goes to `{target}`", MISLEADING_HINT),
         label=M("{name}'s label shows `{shown}`, but it is the file `{target}`",
                 "Say what the file is, as in `label: Checklist (PDF)`."),
         permalink=M("a link to `{target}` has the class `headerlink`, which draws it unseen",
                     "That class is the site's, for a heading's own permalink: remove it."),
         button=M("the title shows `{shown}`, and names the button to `{target}` ({key})",
                  "The Register and recording buttons are named with the title: name the site in the title only if "
                  "the button goes there."),
         tooltip=M("a tooltip shows `{shown}`: only a link's own tooltip may show an address, its own",
                   "Say in the tooltip what the thing is, or put the address in a link to it."),
         shrunk=M("`<{tag}>` inside `<{outer}>` draws text too small to read, where what a link shows could hide",
                  "Use one `<small>`, `<sub>` or `<sup>` at a time: H<sub>2</sub>O, 10<sup>3</sup>."),
         folded=M("a `<details>` inside a link hides part of the link's text",
                  "Put the details after the link, not inside it."),
         heading=M("the heading reads as the address `{shown}`, and is the text of the contents list's link to it",
                   "Name the section, as in `## Guidance from the Scottish Government`; put the address in a link "
                   "in the text under it."),
         name=M("{name} reads as the address `{shown}`, but it is the text of links to the site's own pages",
                "Name the thing itself; an organisation's domain (gov.scot) is fine, an address to go to is not."),
         heading_number=M("the heading shows the phone number `{shown}`, and is the text of the contents list's link, "
                          "which dials nothing", "Name the section, as in `## Booking a place`; give the number in the "
                          "text under it, as a tel: link: [0131 623 4300](tel:+441316234300)."),
         name_number=M("{name} shows the phone number `{shown}`, but it is the text of links to the site's own pages, "
                       "which dial nothing", "Name the thing itself; give the number in the text, or as a tel: link in "
                       "a body: [0131 623 4300](tel:+441316234300).")),
    rule("html-in-text", "No HTML in front matter: it is shown exactly as typed.",
         "Remove the tag, or write 'less than' instead of `<`.",
         _=M("{name} contains HTML (`{tag}`)",
             "Front matter is plain text and is shown exactly as typed: remove the tag, or write "
             "'less than' instead of `<`.")),
    rule("missing-alt", "Every image has alt text.",
         "Write what it shows between the brackets, `![Chart of referrals by month](files/referrals.png)`.",
         _=M("this image has no alt text",
             "Say in a few words what the image shows, for readers who cannot see it: "
             "![Bar chart of referrals by month, 2025](files/referrals.png)")),
    # Links and files
    rule("link-scheme", "A link in front matter is `https:`, or a path to a file beside the resource.",
         "Use the https:// address, or the file's path.",
         _=M(HTTPS_OR_PATH, "Use the https:// address, or a path to a file beside the resource."),
         http=M(HTTPS_OR_PATH, "Use the https:// address: {line}"),
         no_scheme=M(HTTPS_OR_PATH, "Start the address with https://: {line}"),
         file=M("{name} must be a file in this folder, not an address",
                "Put the file in files/ beside the resource and write its path, as in files/checklist.pdf.")),
    rule("link-address", "An address on another site goes where it reads: no name before its host (`user@`), "
         "no backslash, a port from 1 to 65535, and a host in the letters it is looked up by, not letters of "
         "another script drawn like Latin ones (a Cyrillic `о` in `gоv.scot`).",
         "Copy the address from the browser's address bar on the real site.",
         look_alike=M("`{target}` goes to `{host}`, written with letters of another script that read as `{seen}`, "
                      "which is another site",
                      "Type the address again in plain letters, or copy it from the browser's address bar on the "
                      "real site."),
         userinfo=M("`{target}` has `{user}@` before its host, which a browser skips: it goes to `{host}`",
                    "Remove everything between `//` and `@`: a link carries no name or password."),
         backslash=M("`{target}` holds a backslash, which a browser reads as `/`: it goes to `{host}`",
                     "Write the address with forward slashes only, as the site itself gives it."),
         tel=M("`{target}` dials more than a phone number (letters, which a phone's keypad turns into digits, or "
               "* and #, which dial service codes)", "Write the number in digits only: tel:+441316234300."),
         slashes=M("`{target}` has no `//` after `{scheme}:`, so browsers disagree on where it goes: a page of this "
                   "site from the hosted site, another site from the offline copy",
                   "Write the whole address, with `//` before the host: {scheme}://www.gov.scot/."),
         host=M("`{target}` has a host, `{host}`, with a space or a character no host can hold, so no browser "
                "can open it", "Copy the address again from the browser's address bar on the real site."),
         port=M("`{target}` has a port that is not a number from 1 to 65535, so no browser can open it",
                "Remove the port (`:443`), or copy the address again from the browser's address bar.")),
    rule("missing-file", "A file front matter names exists.", "Correct the path, or add the file to `files/`.",
         _=M("{name} points to `{value}`, which does not exist", "{hint}")),
    rule("broken-link", "A link in the body, or `replaced_by`, points to a page or file that exists and is "
         "published, written as a path relative to the file.", "Follow the hint: it gives the link to write.",
         _=M("`{target}` points to `{page}`, which does not exist", "{hint}"),
         replaced_by=M("`replaced_by` names {key}, which does not exist", "{hint}"),
         not_address=M("`{target}` is not a link address",
                       "Check the address. `[` and `]` belong only around an IPv6 host (https://[::1]/); "
                       "elsewhere write them as %5B and %5D."),
         windows=M("`{target}` is a path on a computer or a shared drive, which readers cannot open",
                   "Add the file to the repository as {type}/files/{name} and link to `files/{name}`."),
         references=M("`{target}` is written with character references (`&...;`)",
                      "Write the address as it is: `{address}`"),
         backslashes=M("`{target}` is written with backslashes", "Write paths with forward slashes: `{address}`"),
         absolute=M("`{target}` is an absolute link", "Write it relative to this file: `{written}`"),
         absolute_unknown=M("`{target}` is an absolute link",
                            "Link relative to this file, for example `../deeper-dives/some-slug.md`."),
         made=M("`{target}` is {what}, which the build makes and links to itself, so a resource does not",
                "Link to the page that offers it: a briefing's page offers its PDF, the Webinars page the calendar, "
                "and each type's, topic's, programme's and function's page its feed."),
         unpublished=M("`{target}` points to `{page}`, a file of the repository that the site does not publish",
                       "Link to a page of the site, or, for a file readers should have, put it in {type}/files/ "
                       "and link to `files/` and its name."),
         folder=M("`{target}` points to the folder `{page}`, and a link goes to one page or file",
                  "Link to a file in it, as in `files/checklist.pdf`, or to a resource's .md file."),
         draft=M("`{target}` links to a draft, which is not published",
                 "Link to it once it is published, or remove the link."),
         unbuilt=M("`{target}` links to {page}, which is not built until a published resource uses it",
                   "Link to a resource instead, or remove the link for now."),
         page_address=M("`{target}` is a page's address, not its file",
                        "Link to the file the page is made from: `{written}`"),
         raw_html=M("`{target}` is a relative address in an HTML tag, which the build does not make right for the "
                    "page's address, so it would not be found",
                    "Write it in Markdown, [text]({target}) or ![alt text]({target}), which the build makes right "
                    "on every page; or give a full https:// address."),
         footnote=M("`[^...]:` is a footnote, which this site's Markdown does not make: it is read as a link",
                    "Put the note in the text (in brackets), or in a list under a heading Notes at the end."),
         not_image=M("`{target}` is shown as a picture, but it is not an image ({formats})",
                     "Link to it as a file, [Checklist (CSV)]({target}), without the `!`; or show a picture of it."),
         web_address=M("`{target}` looks like a web address without its https://, so it is read as a file here",
                       "Write it as https://{target}"),
         scheme_relative=M("`{target}` names another site with no scheme, so the offline copy opens it as "
                           "file://, a Windows share that is sent the reader's login",
                           "Start the address with https://")),
    rule("broken-anchor", "A link to a heading (`#part`) names a heading the page has.",
         "Use one of the headings the hint lists.",
         _=M("`{target}`: there is no heading `#{anchor}` in {page}", "{hint}")),
    rule("file-path", "Downloads, slides, transcripts and linked files are of a reader format (PDF, Word, Excel, "
         "CSV, images…) in a content folder, written as a relative path without `..`; never HTML, SVG or "
         "JavaScript.", "Put the file in the type's `files/` and write its path, as in `files/checklist.pdf`.",
         _=M("{name} {refused}", "Downloads, slides and transcripts are files in this type's folder, such as "
                                 "files/checklist.pdf, of a type readers can open."),
         link=M("`{target}` {refused}",
                "Link only to files of a type readers can open, in a content folder's files/.")),
    rule("file-too-large", "A download or linked file is at most 20 MB, and the files one resource publishes are "
         "at most 50 MB in all and take no more checking than 3 files at their limits (a file's share is the "
         "largest of its size, a PDF's steps, pages and drawing (whose text is read), an office document's unzipped "
         "XML and tags, an image's pixels and frames, each over its limit).",
         "Make it smaller, or link to it over https.",
         _=M("{name}: `{value}` {refused}", MAX_FILE_HINT),
         link=M("`{target}` {refused}", MAX_FILE_HINT),
         total=M("with `{file}`, the files {resource} publishes come to {size}; the limit is {limit} in all",
                 MAX_FILE_HINT),
         work=M("{name}: `{value}` would make this resource's files take more checking than {limit} files at "
                "their limits", WORK_HINT),
         work_link=M("`{target}` would make this resource's files take more checking than {limit} files at their "
                     "limits", WORK_HINT),
         docs_work=M("{shown} and the files after it are not checked: docs/'s files already take more checking "
                     "than {limit} files at their limits",
                     "docs/ holds pages and a few files: put large or many files with the resources that use them, "
                     "or link to them over https.")),
    rule("unsafe-file", "A file a resource asks for, or a file in docs/, does nothing when opened (no PDF script, "
         "action, launch or attached file, in any of its objects, all read in at most 5,000,000 steps, read again as qpdf reads them, and a third time as tokens with no cross-reference table (each reader takes its own), so a PDF that readers must repair (a key given twice, a key missing) or that is encrypted is refused; no macros, embedded (OLE) objects or imported "
         "chunks, or template, section, object or picture fetched from outside an office document, in any of its "
         "parts or the documents inside it; no Word field that includes a file or runs a program, no Excel or "
         "OpenDocument DDE, OLE, workbook or data link or formula that fetches or runs (WEBSERVICE, IMAGE, RTD, "
         "CALL, DDE...), no PowerPoint program action), links only to web, email and phone addresses, declares no "
         "image too big to open (over 12,000 pixels a side or 50 megapixels, a JPEG of over 100 scans, an animation "
         "of over 1,000 frames or a PNG of over 100,000 chunks) and "
         "opens as the image it says, whole, and is what its name says (a text file is not a web page); a CSV has "
         "no cell that starts with =, and none that starts with +, - or @ and reaches another program, another "
         "file's cell (written, or through INDIRECT), a link or a function that fetches (a sum such as +1+1 is "
         "only arithmetic).",
         "Export it again without them, or link to it on another website; in a CSV, put a ' before a formula.",
         _=M("{name}: `{value}` {refused}", FILE_CHECK_HINT),
         link=M("`{target}` {refused}", FILE_CHECK_HINT),
         docs=M("{shown} {refused}", FILE_CHECK_HINT),
         docs_formula=M("{shown} {refused}", FORMULA_HINT),
         formula=M("{name}: `{value}` {refused}", FORMULA_HINT),
         formula_link=M("`{target}` {refused}", FORMULA_HINT),
         misleading=M("{name}: `{value}` {refused}", LINK_IN_FILE_HINT),
         misleading_link=M("`{target}` {refused}", LINK_IN_FILE_HINT),
         docs_misleading=M("{shown} {refused}", LINK_IN_FILE_HINT)),
    rule("active-file", "A file in `docs/` outside `docs/assets/` is a Markdown page or of a reader format.",
         "Site code is added by maintainers, in `docs/assets/`.",
         _=M("{shown} is a `{kind}` file, which the site does not publish from docs/",
             "Pages are Markdown (.md); downloads and images are {types}. "
             "Site code lives in docs/assets/, which maintainers review.")),
    rule("not-in-nav", "A page in `docs/` is in the navigation (`nav` in mkdocs.yml) or listed in `not_in_nav`.",
         "Add it to `nav`, or to `not_in_nav` if it is reached from other pages' links.",
         _=M("{shown} is in neither the navigation nor `not_in_nav`, so no reader would find it",
             "Add it to `nav:` in mkdocs.yml, or to `not_in_nav:` if other pages link to it.")),
    rule("no-registration", "A warning only: an upcoming webinar has a `registration_url`; without one, its page "
         "says registration is not open yet.", "Add the link where readers register.",
         _=M("this upcoming webinar has no `registration_url`, so readers cannot sign up",
             "Add the link where readers register: registration_url: \"https://...\". "
             "Until then the page says that registration is not open yet.", "warning")),
    # The body's size
    rule("too-complex", "A body the Markdown converter can read in good time: no line over 20,000 characters, at "
         "most 500 `[` in one paragraph and 3,000 in all, tags closed with `>`, lines indented at most 48 spaces, "
         "at most 12 lists or quotes opened at the start of one line, "
         "runs of backticks of at most 8 lengths in one paragraph, at most 20,000 `|`, and a code fence's first line of "
         "at most 60 characters, and at most 16 combining marks on a letter.",
         "Break the text into paragraphs and short lists.",
         line=M("this line is {length:,} characters long; the limit is {limit:,}",
                "Break the text into paragraphs, with a blank line between them."),
         indent=M("this line is indented {indent} spaces; the limit is {limit}",
                  "Lists nest at most a few levels deep: move this item further left."),
         nesting=M("this line opens {count:,} lists or quotes inside one another; the limit is {limit}",
                   "Lists nest at most a few levels deep: start each item on a line of its own."),
         paragraph=M("this paragraph has {count:,} `[` characters; the limit is {limit}",
                     "Split it into shorter paragraphs or lists, with blank lines between them."),
         backticks=M("this paragraph has runs of backticks of {count} different lengths ({lengths}); the limit is "
                     "{limit}",
                     "A code span opens and closes with the same number of backticks (`like this` or ``like "
                     "`this` ``): close each one, or put code in a fenced block (```) on lines of its own."),
         marks=M("this letter carries {count:,} combining marks; the limit is {limit}",
                 "Remove the extra accents: a letter carries a few marks at most."),
         fence=M("this line starts as a code fence and is {length:,} characters long; the limit is {limit}",
                 "A fence's first line holds ``` and a language name at most: put the rest on the lines after it."),
         pipes=M("the body has {count:,} `|` characters, which make table cells; the limit is {limit:,}",
                 "A table this big is data: put it in a spreadsheet (CSV) in files/, link to it, and show a "
                 "summary here."),
         brackets=M("the body has {count:,} `[` characters; the limit is {limit:,}",
                    "A resource this full of links is better split into several resources."),
         open_tags=M("the body has {count:,} HTML tags that are never closed with `>`",
                     "Close each tag with `>`, or write `<` as &lt; when you mean 'less than'.")),
    rule("too-complex-for-pdf", "An At a Glance or Deeper Dive, which has a PDF, holds tables of at most 100 "
         "columns and 10,000 cells in their grid (spans counted), elements nested at most 60 deep, list numbers "
         "of at most 9 digits, and images of at most 50 megapixels between them.",
         "Split the table or the list, nest less, or show fewer or smaller images: the hint says which.",
         table=M("this table's grid is {columns:,} columns by {rows:,} rows ({cells:,} cells); the limit is "
                 "{max_columns} columns and {max_cells:,} cells",
                 "Its PDF could not be made in reasonable memory. Split it into smaller tables, use smaller "
                 "colspan and rowspan, or put the data in a spreadsheet in files/ and link to it."),
         nesting=M("elements are nested more than {limit} deep here",
                   "A briefing's PDF holds a few levels at most: close the tags you open, and nest lists, quotes "
                   "and HTML less deeply."),
         list_start=M("this list starts at {start}, a number too long for the PDF",
                      "Number lists with at most {digits} digits."),
         images=M("with this image, the {count:,} images the briefing shows have {total:,} pixels between them; "
                  "the limit is {limit:,}",
                  "Its PDF holds every image decoded at once. Save images at the size they are shown (a chart "
                  "1,600 x 1,000 pixels is 1.6 million), show fewer, or put the rest in a download.")),
    rule("too-many-elements", "At most 500 headings, 500 thematic breaks (`***`, `---`), 500 link reference "
         "definitions (`[name]: address`) and 500 notes (`!!!`) in a body.", "Split the resource.",
         headings=M(BLOCK_ELEMENTS, "A resource with this many sections is several resources: split it, or make the "
                                    "minor headings bold text or list items."),
         thematic_breaks=M(BLOCK_ELEMENTS, "Separate sections with headings; keep `***` and `---` lines for a few "
                                           "real breaks."),
         link_reference_definitions=M(BLOCK_ELEMENTS, "Write links inline, [text](address), or split the resource."),
         admonitions=M(BLOCK_ELEMENTS, "Keep notes (`!!!`) for the few points a reader must not miss, or split the "
                                       "resource.")),
    # Data files
    rule("vocabulary", "An entry in `vocabulary/` has a lowercase slug, a plain-text name (at most 80 characters) "
         "and a description (at most 400), with no HTML or template syntax; a file holds at most 500 entries.",
         "See the other entries for the form.",
         not_mapping=M("expected `slug:` entries, each with a name and a description",
                       "See the other files in vocabulary/ for the form."),
         slug=M("`{slug}` is not a lowercase slug", "Use lowercase letters, digits and single hyphens."),
         type=M("`{slug}` is not a type the site builds ({types})",
                "A new type needs its own folder, templates and fields in the schema: ask a maintainer to add it."),
         type_missing=M("the type `{slug}` is missing: every resource in {slug}/ needs its name and description here",
                        "Put its entry back (see git history), or ask a maintainer to retire the type."),
         reserved=M("`{slug}` is the address of the page that lists every one of the {kind}",
                    "Choose another slug, made from a word or two of its name."),
         portable=M("`{slug}` is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9), or longer "
                    "than {limit} characters, so the offline copy could not be unzipped there",
                    "Choose another slug, made from a word or two of its name."),
         entry=M("`{slug}` needs a name and a description, both text", "Add name: and description: lines under it."),
         unknown=M("`{slug}` has unknown fields: {fields}", "Each entry has name, description and, for types, plural."),
         not_text=M("{name} must be text", "Write it as plain text, in quotes if it holds a colon."),
         markup=M("{name} contains HTML or template syntax",
                  "Vocabulary is plain text, shown exactly as typed: remove the tag or braces."),
         one_line=M(ONE_LINE, "Write it on one line."),
         too_many=M("the {kind} hold more than {limit} entries", "Merge the entries readers would not tell apart."),
         term_gone=M("this page links to `{slug}`, which vocabulary/{kind}.yml does not have",
                     "Put the entry back in vocabulary/{kind}.yml (the page is a maintainer's), or ask a maintainer "
                     "to take the link off the page."),
         too_long=M("{name} is {count:,} characters long; the limit is {limit}",
                    "A name is a few words readers scan in a list; say more in the description.")),
    rule("synonyms", "`vocabulary/synonyms.yml` is a set of `slug:` groups of two or more words, each word in one "
         "group; at most 300 groups of 12 words or phrases, each at most 100 characters.",
         "Merge the groups, or add a word.",
         yaml=M("not valid YAML: {error}", SYNONYM_FORM),
         not_mapping=M("expected `slug:` entries", SYNONYM_FORM),
         slug=M("`{slug}` is not a lowercase slug",
                "Name the group with lowercase letters, digits and single hyphens, e.g. `nhs-board`."),
         not_list=M("`{slug}` must be a list of words or phrases",
                    "Write each word or phrase on its own `- ` line under the slug."),
         one=M("`{slug}` has only one word or phrase", "A group needs two or more ways of saying the same thing."),
         no_words=M("`{phrase}` has no words the finder searches for",
                    "Small words such as \"the\" and \"and\" are not searched: use a fuller phrase."),
         groups=M("the file has more than {limit} groups",
                  "Every group is looked for in every resource: keep the ones readers search with, and merge the rest."),
         phrases=M("`{slug}` has {count} words or phrases; the limit is {limit}",
                   "Keep the ways readers really say it, or split the group."),
         long=M("`{slug}`, item {number}, is {count} characters long; the limit is {limit}",
                "A synonym is a word or a name: write the shortest phrase readers search with."),
         twice=M("`{phrase}` is already in the group `{group}`",
                 "A word or phrase can be in one group only: merge the groups or remove one.")),
    # The build's own checks
    rule("pdf", "The briefing's PDF can be made.",
         "An image in a format a PDF cannot hold, or something the converter does not know: the message says what.",
         _=M("the briefing's PDF cannot be made: {error}",
             "Give every image alt text (![what it shows](files/x.png)) and keep to "
             "text, lists, tables and images; tell a maintainer if this persists.")),
    rule("unsafe-output", "The output gate: no published page would run, embed, restyle or redirect (a script not "
         "on the site's list, an event handler, a `javascript:` address, a `style` element…).",
         "Remove it from the source the message names.",
         _=M("the published `{output}` {finding}", UNSAFE_OUTPUT),
         producer=M("the published `{output}` {finding} (written by {producer})", UNSAFE_OUTPUT),
         file=M("the published `{output}` {finding}", FILE_CHECK_HINT),
         formula=M("the published `{output}` {finding}", FORMULA_HINT),
         misleading=M("the published `{output}` {finding}", LINK_IN_FILE_HINT)),
    rule("duplicate-output", "The output gate: no two outputs share an address (a resource, file or vocabulary slug "
         "named like something the site already writes, or two names that differ only in letter case).",
         "Rename the resource, file or vocabulary slug.",
         _=M("`{output}` would be written twice: by {first} and by {second}",
             "Rename the resource, file or vocabulary slug so that it has an address of its own."),
         case=M("`{output}` and `{other}` differ only in letter case or accents, so they are one file once the "
                "offline copy is unzipped on Windows: by {first} and by {second}",
                "Rename the resource, file, editor's page or vocabulary slug so that it has an address of its own."),
         folder=M("`{output}` would make `{folder}` a folder, where {first} writes a file",
                  "Rename the folder in the file's path (files usually go in files/).")),
    rule("unclaimed-output", "The output gate: every file the build publishes was claimed by what wrote it.",
         "Tell a maintainer: a generator wrote a file without saying so.",
         _=M("`{output}` was written by something that did not say it would, so nothing checked it",
             "Outputs come from resources, docs/, the theme and the generators only; "
             "find what wrote this file and make it claim the path.")),
)})
del M


def message(key: str) -> Message:
    """The catalogue's entry for `rule-id` or `rule-id/variant`; KeyError,
    saying so, for one it does not hold."""
    rule_id, _, variant = key.partition("/")
    entry = RULES.get(rule_id)
    if entry is None or variant not in entry.messages:
        raise KeyError(f"no rule `{key}` in the catalogue (hooks/resource_library/rules.py)")
    return entry.messages[variant]


def said(key: str, /, **values) -> tuple[str, str, str, str]:
    """(rule id, message, hint, severity) for a problem of `key`."""
    entry = message(key)
    return key.partition("/")[0], entry.text.format(**values), entry.hint.format(**values), entry.severity


def problem(key: str, path: str, line: int, col: int, source_line: str = "", /, **values) -> Problem:
    """A Problem, from the catalogue's entry for `key` and the values its
    templates name."""
    rule_id, text, hint, severity = said(key, **values)
    return Problem(path, line, col, rule_id, text, hint, source_line, severity)

