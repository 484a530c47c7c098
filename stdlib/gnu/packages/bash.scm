;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages bash): the GNU Bourne-Again SHell, as in GNU Guix: Bash
;;; 5.1 with its 16 official patches (origins of their own), a minimal
;;; variant for non-interactive use and a static one.

(define-module (gnu packages bash)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages readline)
  #:use-module (gnu packages ncurses)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define (patch-url seqno)
  "Return the URL of Bash patch number SEQNO."
  (format #f "mirror://gnu/bash/bash-5.1-patches/bash51-~3,'0d" seqno))

(define (bash-patch seqno hash)
  (origin
    (method url-fetch)
    (uri (patch-url seqno))
    (sha256 (base32 hash))))

(define %patch-series-5.1
  (map (lambda (entry) (bash-patch (car entry) (cadr entry)))
       '((1 "1ymm8ppss6gyh9ifznjwiabrb4k91npd09c10y7mk66xp8yppc7b")
         (2 "1gjx9zqcm407am3n2sh44b8dxm48kgm15rzfiijqxr01m0hn3shm")
         (3 "1cdnpbfc64yhvkjj4d12s9ywp11g195vzfl1cab24sq55wkcrwi2")
         (4 "11iwhy6v562bv0kk7lwj7f5jj65ma9bblivy0v02h3ggcibbdbls")
         (5 "19bdyigdr81824nxvqr6a7k0cax60wq7376j6b91afbnwvlvbjyc")
         (6 "051x8wlwrqk0yr0zg378vh824iklfl5g9pkmcdf62qp8gn9pvqbm")
         (7 "0fir80pp1gmlpadmqcgkrv4y119pc7xllchjzg05fd7px73viz5c")
         (8 "1lfjgshk8i9vch92p5wgc9r90j3phw79aa7gbai89w183b2z6b7j")
         (9 "1vn36dzd9g4y1h3jiss6418crla0rbcd0d6wwsyv9d5l7aaxlp74")
         (10 "0amfmvbzsand7bdypylkjdpcp88fa3cplfshn7vyzv2ff2rdgj52")
         (11 "0yq24abb4fzfxqnwl20b330sxl9lr9ds0nc4yi30f81l94b1y6aq")
         (12 "165bff97ffih49vfs4mkr5w3z5gn1w6zfyrf773iajkw6v48kw8h")
         (13 "1bfmgv3lagbk3aq9a831d29xv7jz4sjq7jhn9hq89limyinvdb67")
         (14 "1l43dw4kpddn7l41i8wmj406z9abxky1wb3rk8krcys33g4f0kka")
         (15 "1w40vzadzx019v0zhs4q6yqycrk04x1k8xs6qb73vk7ny4p6jdqv")
         (16 "0krqqljz4bkp9wrdnwfx51bxkb8rkwf8ivc93as1znx5fr7i96c8"))))

(define-public bash
  (let ((version "5.1"))
    (package
      (name "bash")
      (source (origin
                (method url-fetch)
                (uri (string-append
                      "mirror://gnu/bash/bash-" version ".tar.gz"))
                (sha256
                 (base32
                  "1alv68wplnfdm6mh39hm57060xgssb9vqca4yr1cyva0c342n0fc"))
                (patch-flags '("-p0"))
                (patches (cons (search-patch "bash-linux-pgrp-pipe.patch")
                               %patch-series-5.1))))
      (version (string-append version "."
                              (number->string (length %patch-series-5.1))))
      (build-system gnu-build-system)
      (outputs '("out"
                 "doc"                  ;1.7 MiB of HTML and extra files
                 "include"))            ;headers used by extensions
      (inputs (list readline ncurses))
      (arguments
       '(#:parallel-build? #f
         #:parallel-tests? #f
         #:tests? #f))
      (synopsis "The GNU Bourne-Again SHell")
      (description
       "Bash is the shell, or command-line interpreter, of the GNU system.")
      (license license:gpl3+)
      (home-page "https://www.gnu.org/software/bash/"))))

(define-public bash-minimal
  ;; A stripped-down Bash for non-interactive use.
  (package/inherit bash
    (name "bash-minimal")
    (inputs '())                                ;no readline, no curses
    (outputs (delete "include" (package-outputs bash)))
    (synopsis "The GNU Bourne-Again SHell, stripped down for non-interactive use")))

(define-public static-bash
  ;; Statically-linked Bash: nothing but the 'bash' binary and 'sh' symlink.
  (package/inherit bash-minimal
    (name "bash-static")
    (arguments
     `(#:allowed-references ("out") ,@(package-arguments bash-minimal)))))

(define-public bash-completion
  (package
    (name "bash-completion")
    (version "2.11")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://github.com/scop/" name "/releases/download/"
                    version "/" name "-" version ".tar.xz"))
              (sha256
               (base32
                "1b0iz7da1sgifx1a5wdyx1kxbzys53v0kyk8nhxfipllmm5qka3k"))
              (patches
               (search-patches "bash-completion-directories.patch"))))
    (build-system gnu-build-system)
    (arguments '(#:tests? #f))
    (synopsis "Bash completions for common commands")
    (description
     "This package provides extensions that allow Bash to provide adapted
completion for many common commands.")
    (home-page "https://github.com/scop/bash-completion")
    (license license:gpl2+)))
