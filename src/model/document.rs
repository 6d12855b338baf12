//! A document: immutable text plus its spans and review status.

use super::{ModelError, Span, SpanSet, Text};

/// Where the annotator is with a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not started.
    #[default]
    Todo,
    /// Started but not finished.
    InProgress,
    /// Finished.
    Done,
}

impl Status {
    /// All statuses, in workflow order.
    pub const ALL: [Status; 3] = [Status::Todo, Status::InProgress, Status::Done];

    /// Human-readable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done => "done",
        }
    }
}

/// One text to annotate. Its spans always lie inside its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Identifier shown in the UI and written by exporters (e.g. the file stem).
    pub name: String,
    /// Review status.
    pub status: Status,
    text: Text,
    spans: SpanSet,
}

impl Document {
    /// A document with no spans.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: Status::Todo,
            text: Text::new(text.into()),
            spans: SpanSet::default(),
        }
    }

    /// A document with spans, each checked against the text.
    pub fn with_spans(
        name: impl Into<String>,
        text: impl Into<String>,
        spans: Vec<Span>,
    ) -> Result<Self, ModelError> {
        let mut doc = Self::new(name, text);
        for span in &spans {
            doc.check_bounds(span)?;
        }
        doc.spans = SpanSet::from_spans(spans);
        Ok(doc)
    }

    /// The text.
    pub fn text(&self) -> &Text {
        &self.text
    }

    /// The spans.
    pub fn spans(&self) -> &SpanSet {
        &self.spans
    }

    /// The text a span covers.
    pub fn span_text(&self, span: &Span) -> &str {
        self.text.slice(span.start(), span.end())
    }

    fn check_bounds(&self, span: &Span) -> Result<(), ModelError> {
        if span.end() > self.text.char_len() {
            return Err(ModelError::SpanOutOfBounds {
                start: span.start(),
                end: span.end(),
                len: self.text.char_len(),
            });
        }
        Ok(())
    }

    /// Adds a span; refuses one out of bounds or already present.
    pub(crate) fn add_span(&mut self, span: Span) -> Result<(), ModelError> {
        self.check_bounds(&span)?;
        if self.spans.insert(span) {
            Ok(())
        } else {
            Err(ModelError::DuplicateSpan {
                start: span.start(),
                end: span.end(),
            })
        }
    }

    /// Replaces all spans (each checked against the text); returns the old ones. Exact
    /// duplicates collapse into one, as in [`SpanSet::from_spans`].
    pub(crate) fn replace_spans(&mut self, spans: Vec<Span>) -> Result<Vec<Span>, ModelError> {
        for span in &spans {
            self.check_bounds(span)?;
        }
        let old = std::mem::replace(&mut self.spans, SpanSet::from_spans(spans));
        Ok(old.as_slice().to_vec())
    }

    /// Removes a span; fails if absent.
    pub(crate) fn remove_span(&mut self, span: &Span) -> Result<(), ModelError> {
        if self.spans.remove(span) {
            Ok(())
        } else {
            Err(ModelError::NoSuchSpan {
                start: span.start(),
                end: span.end(),
            })
        }
    }
}
