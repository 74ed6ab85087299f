//! `patch` against GNU patch 2.7.
