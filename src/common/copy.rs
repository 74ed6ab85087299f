//! The one file and tree copier (cp, mv, install): not written yet.
