;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix git-download): origins fetched from Git repositories.  The
;;; <git-reference> record and the naming helpers are as in Guix; 'git-fetch'
;;; makes the fixed-output derivation Guix 1.5 makes when the daemon has the
;;; built-in Git downloader ("builtin:git-download"), whose output path is
;;; that of the checkout's recursive SHA-256.

(define-module (guix git-download)
  #:use-module (guix records)
  #:use-module (guix derivations)
  #:use-module (guix utils)
  #:export (git-reference
            git-reference?
            git-reference-url
            git-reference-commit
            git-reference-recursive?

            git-fetch
            git-version
            git-file-name))

(define-record-type* <git-reference>
  git-reference make-git-reference
  git-reference?
  (url        git-reference-url)
  (commit     git-reference-commit)               ;commit or tag
  (recursive? git-reference-recursive?            ;whether to fetch submodules
              (default #f)))

(define* (git-fetch ref hash-algo hash
                    #:optional name
                    #:key (system (%current-system)) guile git)
  "Return a fixed-output derivation that fetches REF, a <git-reference>,
expected to have recursive hash HASH of type HASH-ALGO (a symbol)."
  (raw-derivation (or name "git-checkout") "builtin:git-download" '()
                  #:system system
                  #:hash-algo hash-algo
                  #:hash hash
                  #:recursive? #t
                  #:env-vars
                  `(("url" . ,(object->string (git-reference-url ref)))
                    ("commit" . ,(git-reference-commit ref))
                    ("recursive?" . ,(object->string
                                      (git-reference-recursive? ref))))
                  #:leaked-env-vars '("http_proxy" "https_proxy"
                                      "LC_ALL" "LC_MESSAGES" "LANG"
                                      "COLUMNS")
                  #:local-build? #t))

(define (git-version version revision commit)
  "Return the version string for packages using git-download."
  (string-append version "-" revision "." (string-take commit 7)))

(define (git-file-name name version)
  "Return the file name of the Git checkout of NAME at VERSION."
  (string-append name "-" version "-checkout"))
