;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages version-control): Git, in the "minimal" variant Guix
;;; itself and the system's tools depend on.  Name, version, source URL and
;;; hash are those of GNU Guix (version-control.scm of 2025, Git 2.49.0);
;;; inputs outside the part of the package graph schemos models are left out
;;; (see docs/packages.md).

(define-module (gnu packages version-control)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

;; The size of the closure of 'git-minimal' is two thirds that of 'git'.
;; Its test suite runs slightly faster and most importantly it doesn't
;; depend on packages that are expensive to build such as Subversion.
(define-public git-minimal
  (package
    (name "git-minimal")
    (version "2.49.0")
    (source (origin
             (method url-fetch)
             (uri (string-append "mirror://kernel.org/software/scm/git/git-"
                                 version ".tar.xz"))
             (sha256
              (base32
               "0a2nm2szhn47dm0m1f1kmg1rikb7saqj67zr25n9yzhbb77r10b1"))))
    (build-system gnu-build-system)
    (arguments
     (list
      ;; Make sure the full bash does not end up in the final closure.
      #:disallowed-references (list bash)           ;Guix: + perl
      #:test-target "test"
      #:make-flags
      #~(list "V=1"                     ;more verbose compilation
              (string-append "SHELL_PATH="
                             #+(this-package-native-input "bash-minimal")
                             "/bin/sh")
              ;; Tests require a bash with completion support.
              (string-append "TEST_SHELL_PATH="
                             #+(this-package-native-input "bash")
                             "/bin/bash")
              ;; By default 'make install' creates hard links for
              ;; things in 'libexec/git-core', which leads to huge
              ;; nars; see <https://bugs.gnu.org/21949>.
              "NO_INSTALL_HARDLINKS=indeed")))
    ;; Guix also has native-perl and gettext-minimal natively, and curl,
    ;; expat, openssl, perl and pcre2 as inputs.
    (native-inputs
     (list bash                        ;for tests
           bash-minimal))
    (inputs
     (list bash-minimal                ;for wrap-program
           coreutils-minimal
           sed
           zlib))
    (home-page "https://git-scm.com/")
    (synopsis "Distributed version control system")
    (description
     "Git is a free distributed version control system designed to handle
everything from small to very large projects with speed and efficiency.")
    ;; XXX: Some files are GPLv2-only (COPYING says so).
    (license license:gpl2)))
