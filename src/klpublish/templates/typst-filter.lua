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

-- A span's id: pandoc writes its label after the span's text, where Typst gives
-- it to the element before (a heading's label, taken over by `[]{#bilag}` on
-- the line under it, is gone and a link to the heading fails). A label of its
-- own, on an empty element where the span starts, is where a link leads. It
-- is wrapped in a content block: bare at the start of a heading, Typst takes
-- it for the heading's whole title and refuses the heading as empty (PDF/UA-1).
local function span_label(el)
  local id = el.identifier
  if id == "" or not id:match("^[%w_%-:.\128-\255]+$") then return nil end
  el.identifier = ""
  return pandoc.RawInline("typst", "#[#metadata(none)<" .. id .. ">]")
end

function Span(el)
  local label = span_label(el)
  local out = in_language(el, pandoc.RawInline)
  if not label then return out end
  if not out then out = { el } end
  table.insert(out, 1, label)
  return out
end

function Div(el) return in_language(el, pandoc.RawBlock) end

-- Typst: pandoc writes images without `alt:`, which PDF/UA refuses. Write them
-- with their alt text (the image description), as a Typst string literal.
local function typst_string(s)
  s = s:gsub("[%c]", " ")
  s = s:gsub("\\", "\\\\")
  s = s:gsub('"', '\\"')
  return '"' .. s .. '"'
end

-- An image marked with a language (an untranslated figure's, see
-- translation/translate.py) gives its Figure that /Lang.
local function typst_image(el, call)
  local alt = pandoc.utils.stringify(el.caption)
  local image = "image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. ")"
  local lang = typst_lang(el.attr)
  if call then image = call .. "(" .. image .. ")" end
  if lang then return '#text(lang: "' .. lang .. '")[#' .. image .. "]" end
  return "#" .. image
end

-- An image in running text stays in its line.
function Image(el)
  return pandoc.RawInline("typst", typst_image(el, "box"))
end

-- A figure of one image has the image itself as its body: Typst then tags it a
-- Figure beside the figure's Caption, where a box would put a paragraph between
-- them (render/pdf_figures.py orders the two as the reader meets them). Run
-- before Image, which would box it.
local function Figure(fig)
  local body = fig.content
  if #body ~= 1 or (body[1].t ~= "Plain" and body[1].t ~= "Para") then return nil end
  local inlines = body[1].content
  if #inlines ~= 1 or inlines[1].t ~= "Image" then return nil end
  body[1] = pandoc.Plain({ pandoc.RawInline("typst", typst_image(inlines[1])) })
  fig.content = body
  return fig
end

-- A formula needs alt text in a PDF/UA file (Typst refuses it otherwise): its
-- TeX source, the form screen readers' math support reads out.
function Math(el)
  local body = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ el }) }), "typst"):gsub("%s+$", "")
  return pandoc.RawInline("typst", "#math.equation(block: " ..
    tostring(el.mathtype == "DisplayMath") .. ", alt: " .. typst_string(el.text) .. ", " ..
    body .. ")")
end

-- Every value the template puts into markup reaches Typst as text, never as
-- markup: written into a content block as it stands, the Danish date
-- `10. januar 2018` became a numbered list. Plain text becomes a Typst string
-- (`#"10. januar 2018";`), which cannot turn into a list, heading, label,
-- reference or code; formatted text (a translated title with emphasis) is
-- written by pandoc as a block of its own, where the writer escapes what would
-- start one. Values the template puts into code (`lang: "$lang$"`) are left
-- alone: they are language tags and directions, checked to be nothing else
-- (render/context.py `code`); the link's target is a variable made by
-- render/escape.py `typst_string`, as this file's `typst_string` does here.
local IN_CODE = {
  ["lang"] = true, ["language"] = true, ["dir"] = true, ["source-lang"] = true,
  ["source-dir"] = true, ["date-year"] = true, ["date-month"] = true,
  ["date-day"] = true, ["date-iso"] = true, ["web"] = true, ["identifier"] = true,
  ["languages"] = true, ["rtl"] = true, ["page-progression-direction"] = true,
}

local PLAIN = { Str = true, Space = true, SoftBreak = true }

local function as_text(inlines)
  for _, x in ipairs(inlines) do
    if not PLAIN[x.t] then
      local typst = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
      return { pandoc.RawInline("typst", (typst:gsub("%s+$", ""))) }
    end
  end
  return { pandoc.RawInline("typst", "#" .. typst_string(pandoc.utils.stringify(inlines)) .. ";") }
end

local function text_values(value)
  local kind = pandoc.utils.type(value)
  if kind == "Inlines" then
    return as_text(value)
  elseif kind == "string" then
    return as_text(pandoc.Inlines(value))
  elseif kind == "List" then
    return value:map(text_values)
  elseif kind == "table" then
    local out = {}
    for k, v in pairs(value) do
      out[k] = IN_CODE[k] and v or text_values(v)
    end
    return out
  end
  return value
end

function Meta(meta)
  for k, v in pairs(meta) do
    if not IN_CODE[k] then meta[k] = text_values(v) end
  end
  return meta
end

return {
  { Figure = Figure },
  { Span = Span, Div = Div, Image = Image, Math = Math, Meta = Meta },
}
