;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages nano): GNU nano, the default editor of %base-packages.
;;; Name, version, source URL and hash are those of GNU Guix (nano.scm of
;;; 2023, nano 7.1: the newest revision schemos could read).

(define-module (gnu packages nano)
  #:use-module ((guix licenses) #:select (gpl3+))
  #:use-module (gnu packages)
  #:use-module (gnu packages ncurses)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public nano
  (package
    (name "nano")
    (version "7.1")
    (source
     (origin
      (method url-fetch)
      (uri (string-append "mirror://gnu/nano/nano-" version ".tar.xz"))
      (sha256
       (base32 "0dk8820w631ip6hpl7qc8kg5viw7wc154l7fvpvg06bmkcg7bfjp"))))
    (build-system gnu-build-system)
    (inputs
     (list ncurses))                              ;Guix: + gettext-minimal
    (home-page "https://www.nano-editor.org/")
    (synopsis "Small, user-friendly console text editor")
    (description
     "GNU nano is a small and simple text editor for use in a terminal.  Besides
basic editing, it supports: undo/redo, syntax highlighting, spell checking,
justifying, auto-indentation, bracket matching, interactive search-and-replace
(with regular expressions), and the editing of multiple files.")
    (license gpl3+)))                   ; some files are under GPLv2+
