-- Typst writer fixes. Pandoc drops `lang` on inline spans and divs; say it with #text(lang: ...)
-- so the PDF marks the text's language (/Lang). Only well-formed codes pass.
local function typst_lang(attr)
  local lang = attr.attributes["lang"]
  if lang and lang:match("^[A-Za-z][A-Za-z0-9-]*$") then
    return lang:gsub("_", "-"):match("^[^-]+")
  end
  return nil
end

-- raw: pandoc.RawInline for a span, pandoc.RawBlock for a div.
local function in_language(el, raw)
  local lang = typst_lang(el.attr)
  if not lang then return nil end
  local out = { raw("typst", '#text(lang: "' .. lang .. '")[') }
  for _, x in ipairs(el.content) do table.insert(out, x) end
  table.insert(out, raw("typst", "]"))
  return out
end

function Span(el) return in_language(el, pandoc.RawInline) end

function Div(el) return in_language(el, pandoc.RawBlock) end

-- Typst: pandoc writes images without `alt:`, which PDF/UA refuses. Write them
-- with their alt text (the image description), as a Typst string literal.
local function typst_string(s)
  s = s:gsub("[%c]", " ")
  s = s:gsub("\\", "\\\\")
  s = s:gsub('"', '\\"')
  return '"' .. s .. '"'
end

function Image(el)
  local alt = pandoc.utils.stringify(el.caption)
  return pandoc.RawInline("typst",
    "#box(image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. "))")
end
