;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system shadow): user accounts as a service, default groups and
;;; accounts, and the skeleton files of new home directories.
;;;
;;; The model of GNU Guix 1.5's module of the same name.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix computes the modules imported by the activation gexps with
;;;   'source-module-closure'; schemos lists that closure by hand (the
;;;   modules those gexps need and the Guix modules they load), which is what
;;;   the closure gives.

(define-module (gnu system shadow)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (gnu system accounts)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu system file-systems) #:select (%tty-gid))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module (gnu packages bash)
  #:use-module (srfi srfi-1)
  #:re-export (user-account
               user-account?
               user-account-name
               user-account-password
               user-account-uid
               user-account-group
               user-account-supplementary-groups
               user-account-comment
               user-account-home-directory
               user-account-create-home-directory?
               user-account-shell
               user-account-system?

               user-group
               user-group?
               user-group-name
               user-group-password
               user-group-id
               user-group-system?)
  #:export (%default-bashrc
            %default-bash-profile
            %default-zprofile
            %default-xdefaults
            %default-gdbinit
            %default-nanorc
            %default-dotguile
            %default-skeleton-home-config
            default-skeletons
            skeleton-directory
            %base-groups
            %base-user-accounts

            account-service-type
            account-service

            subids-configuration
            subids-configuration?
            subids-configuration-add-root?
            subids-configuration-subgids
            subids-configuration-subuids

            subids-extension
            subids-extension?
            subids-extension-subgids
            subids-extension-subuids

            subids-service-type))

;; New <user-account> records get Bash as their shell.
(default-shell (file-append bash "/bin/bash"))

(define %base-groups
  ;; Default set of groups.
  (let-syntax ((system-group (syntax-rules ()
                               ((_ args ...)
                                (user-group (system? #t) args ...)))))
    (list (system-group (name "root") (id 0))
          (system-group (name "wheel"))           ; root-like users
          (system-group (name "users"))           ; normal users
          (system-group (name "nogroup"))         ; for daemons etc.

          ;; Groups conventionally used by udev & co. to control access to
          ;; hardware devices.
          (system-group (name "tty") (id %tty-gid))
          (system-group (name "dialout"))
          (system-group (name "kmem"))
          (system-group (name "input"))           ; input devices, from udev
          (system-group (name "video"))
          (system-group (name "audio"))
          (system-group (name "netdev"))          ; used in avahi-dbus.conf
          (system-group (name "lp"))
          (system-group (name "disk"))
          (system-group (name "floppy"))
          (system-group (name "cdrom"))
          (system-group (name "tape"))
          (system-group (name "kvm"))             ; for /dev/kvm
          (system-group (name "sgx")))))

(define %base-user-accounts
  ;; Standard user accounts.  "root" is a special case, not listed here.
  (list (user-account
         (name "nobody")
         (uid 65534)
         (group "nogroup")
         (shell (file-append shadow "/sbin/nologin"))
         (home-directory "/nonexistent")
         (create-home-directory? #f)
         (system? #t))))

(define %default-bashrc
  (plain-file "bashrc" "\
# Bash-specific initialization, including for non-login and remote
# shells (info \"(bash) Bash Startup Files\").

# Provide a default prompt.
PS1='\\u@\\h \\w${GUIX_ENVIRONMENT:+ [env]}\\$ '

# Export 'SHELL' to child processes.  Programs such as 'screen'
# honor it and otherwise use /bin/sh.
export SHELL

if [[ $- != *i* ]]
then
    # We are being invoked from a non-interactive shell.  If this
    # is an SSH session (as in \"ssh host command\"), source
    # /etc/profile so we get PATH and other essential variables.
    [[ -n \"$SSH_CLIENT\" ]] && source /etc/profile

    # Don't do anything else, returning a successful return code.
    return 0
fi

for i in /etc/bashrc.d/*.sh; do
    [[ -r $i ]] && source \"$i\"
done
unset i

# Increase the history size (default is 500 entries).
HISTSIZE=10000
"))

(define %default-bash-profile
  (plain-file "bash_profile" "\
# Set up Guix Home profile
if [ -f ~/.profile ]; then . ~/.profile; fi

# Honor per-interactive-shell startup file
if [ -f ~/.bashrc ]; then . ~/.bashrc; fi

# Merge search-paths from multiple profiles, the order matters.
eval \"$(guix package --search-paths \\
-p $HOME/.config/guix/current \\
-p $HOME/.guix-home/profile \\
-p $HOME/.guix-profile \\
-p /run/current-system/profile)\"

# Prepend setuid programs.
export PATH=/run/setuid-programs:$PATH
"))

(define %default-zprofile
  (plain-file "zprofile" "\
# Set up the system, user profile, and related variables.
emulate sh -c '. /etc/profile'
# Set up the home environment profile.
emulate sh -c 'test -f ~/.profile && . ~/.profile'
"))

(define %default-xdefaults
  (plain-file "Xdefaults" "\
XTerm*utf8: always
XTerm*metaSendsEscape: true\n"))

(define %default-gdbinit
  (plain-file "gdbinit"
              "\
# Record command history.
set history filename ~/.cache/gdb/history
set history save on
set history size 50000

# Tell GDB where to look for separate debugging files.
guile
(use-modules (gdb))
(execute (string-append \"set debug-file-directory \"
                        (string-join
                          (append
                            (if (getenv \"GDB_DEBUG_FILE_DIRECTORY\")
                              (list (getenv \"GDB_DEBUG_FILE_DIRECTORY\"))
                              '())
                            ;; Note: GDB performs tilde expansion.
                            (list \"~/.guix-home/profile/lib/debug\"
                                  \"~/.guix-profile/lib/debug\"
                                  \"/run/current-system/profile/lib/debug\"))
                          \":\")))
end

# Authorize extensions found in the store, such as the
# pretty-printers of libstdc++.
set auto-load safe-path /gnu/store/*/lib\n"))

(define %default-nanorc
  (plain-file "nanorc"
              "# Include all the syntax highlighting modules.
include /run/current-system/profile/share/nano/*.nanorc\n"))

(define %default-dotguile
  (plain-file "dot-guile"
              "(cond ((false-if-exception (resolve-interface '(ice-9 readline)))
       =>
       (lambda (module)
         ;; Enable completion and input history at the REPL.
         ((module-ref module 'activate-readline))))
      (else
       (display \"Consider installing the 'guile-readline' package for
convenient interactive line editing and input history.\\n\\n\")))

      (unless (getenv \"INSIDE_EMACS\")
        (cond ((false-if-exception (resolve-interface '(ice-9 colorized)))
               =>
               (lambda (module)
                 ;; Enable completion and input history at the REPL.
                 ((module-ref module 'activate-colorized))))
              (else
               (display \"Consider installing the 'guile-colorized' package
for a colorful Guile experience.\\n\\n\"))))\n"))

(define %default-skeleton-home-config
  (plain-file "default-home-config" "\
;; This is a sample Guix Home configuration which can help setup your
;; home directory in the same declarative manner as Guix System.
;; For more information, see the Home Configuration section of the manual.
(define-module (guix-home-config)
  #:use-module (gnu home)
  #:use-module (gnu home services)
  #:use-module (gnu home services shells)
  #:use-module (gnu services)
  #:use-module (gnu system shadow))

(define home-config
  (home-environment
    (services
      (append
        (list
          ;; Uncomment the shell you wish to use for your user:
          ;(service home-bash-service-type)
          ;(service home-fish-service-type)
          ;(service home-zsh-service-type)

          (service home-files-service-type
           `((\".guile\" ,%default-dotguile)
             (\".Xdefaults\" ,%default-xdefaults)))

          (service home-xdg-configuration-files-service-type
           `((\"gdb/gdbinit\" ,%default-gdbinit)
             (\"nano/nanorc\" ,%default-nanorc))))

        %base-home-services))))

home-config"))

(define gdb-history-placeholder
  ;; GDB does not create ~/.cache/gdb by itself when saving its history.
  (plain-file "gdb-history"
              "# GDB command history.\n"))

(define (default-skeletons)
  "Return the default skeleton files for /etc/skel.  These files are copied by
'useradd' in the home directory of newly created user accounts."
  `((".bash_profile" ,%default-bash-profile)
    ;; Zsh sources ~/.zprofile before ~/.zshrc: keep the user's ~/.zshrc
    ;; customizations on top of ours.
    (".zprofile" ,%default-zprofile)
    (".config/nano/nanorc" ,%default-nanorc)
    (".Xdefaults" ,%default-xdefaults)
    (".guile" ,%default-dotguile)
    (".config/gdb/gdbinit" ,%default-gdbinit)
    (".cache/gdb/history" ,gdb-history-placeholder)
    ("guix-home-config.scm" ,%default-skeleton-home-config)))

(define (skeleton-directory skeletons)
  "Return a directory containing SKELETONS, a list of name/file-like tuples."
  (computed-file "skel"
                 (with-imported-modules '((guix build utils))
                   #~(begin
                       (use-modules (ice-9 match)
                                    (guix build utils))

                       (mkdir #$output)
                       (chdir #$output)

                       ;; Copy the skeletons rather than symlinking them like
                       ;; 'file-union' does: 'useradd' would copy symlinks.
                       (for-each (match-lambda
                                   ((target source)
                                    (mkdir-p (dirname target))
                                    (copy-recursively source target)))
                                 '#$skeletons)))))

(define (find-duplicates lst)
  "The elements of LST that appear more than once (compared with 'equal?'),
in the order of their first appearance."
  (let loop ((lst lst) (seen '()) (dups '()))
    (cond ((null? lst) (reverse dups))
          ((member (car lst) seen)
           (loop (cdr lst) seen
                 (if (member (car lst) dups) dups (cons (car lst) dups))))
          (else (loop (cdr lst) (cons (car lst) seen) dups)))))

(define (warn-about-duplicates what names)
  (let ((duplicates (find-duplicates names)))
    (unless (null? duplicates)
      (format (current-error-port)
              "warning: the following ~a appear more than once:~{ ~a~}~%"
              what duplicates))))

(define (assert-valid-users/groups users groups)
  "Raise an error if USERS refer to groups not listed in GROUPS."
  (let ((groups (map user-group-name groups)))
    (for-each (lambda (user)
                (unless (member (user-account-group user) groups)
                  (error (format #f "primary group '~a' of user '~a' is undeclared"
                                 (user-account-group user)
                                 (user-account-name user))))
                (for-each (lambda (group)
                            (unless (member group groups)
                              (error (format #f "supplementary group '~a' of user \
'~a' is undeclared"
                                             group (user-account-name user)))))
                          (user-account-supplementary-groups user)))
              users)))


;;;
;;; Accounts Service.
;;;

(define (user-group->gexp group)
  "Turn GROUP, a <user-group> object, into a list-valued gexp suitable for
'activate-groups'."
  #~(list #$(user-group-name group)
          #$(user-group-password group)
          #$(user-group-id group)
          #$(user-group-system? group)))

(define (user-account->gexp account)
  "Turn ACCOUNT, a <user-account> object, into a list-valued gexp suitable for
'activate-users'."
  #~`(#$(user-account-name account)
      #$(user-account-uid account)
      #$(user-account-group account)
      #$(user-account-supplementary-groups account)
      #$(user-account-comment account)
      #$(user-account-home-directory account)
      #$(user-account-create-home-directory? account)
      ,#$(user-account-shell account)             ; this one is a gexp
      #$(user-account-password account)
      #$(user-account-system? account)))

(define (account-activation accounts+groups)
  "Return a gexp that activates ACCOUNTS+GROUPS, a list of <user-account> and
<user-group> objects.  Raise an error if a user account refers to an undefined
group."
  (define accounts
    (delete-duplicates (filter user-account? accounts+groups) eq?))

  (define user-specs
    (map user-account->gexp accounts))

  (define groups
    (delete-duplicates (filter user-group? accounts+groups) eq?))

  (define group-specs
    (map user-group->gexp groups))

  (warn-about-duplicates "accounts" (map user-account-name accounts))
  (warn-about-duplicates "groups" (map user-group-name groups))
  (assert-valid-users/groups accounts groups)

  ;; Add users and user groups.
  (with-imported-modules '((gnu system accounts) (guix records))
    #~(begin
        (use-modules (gnu system accounts))

        (activate-users+groups (map sexp->user-account (list #$@user-specs))
                               (map sexp->user-group (list #$@group-specs))))))

(define (account-shepherd-service accounts+groups)
  "Return a Shepherd service that creates the home directories for the user
accounts among ACCOUNTS+GROUPS."
  (define accounts
    (filter user-account? accounts+groups))

  (define regular-account-names
    (filter-map (lambda (account)
                  (and (not (user-account-system? account))
                       (user-account-name account)))
                accounts))

  ;; Create home directories only once 'file-systems' is up, so that they
  ;; land on /home when it is a separate partition.  The service stops right
  ;; after doing its job so that 'guix system reconfigure' can reload it.
  (list (shepherd-service
         (requirement '(file-systems))
         (provision '(user-homes))
         (one-shot? #t)
         (modules '((gnu build activation)
                    (gnu system accounts)))
         (start (with-imported-modules '((gnu build activation)
                                         (gnu system accounts)
                                         (guix records)
                                         (guix build utils)
                                         (guix build syscalls))
                  #~(lambda ()
                      (activate-user-home
                       (map sexp->user-account
                            (list #$@(map user-account->gexp accounts))))

                      ;; Create the user's profile directory upfront:
                      ;; guix-daemon lacks permissions to create it when it is
                      ;; running as an unprivileged user.
                      (for-each (lambda (account)
                                  (let ((profile (in-vicinity
                                                  "/var/guix/profiles/per-user"
                                                  account))
                                        (owner (getpwnam account)))
                                    (mkdir-p/perms profile owner #o755)))
                                '#$regular-account-names)
                      #t)))                       ;success
         (documentation "Create user home directories."))))

(define (shells-file shells)
  "Return a file-like object that builds the shell list /etc/shells (used by
xterm, polkit and others) from SHELLS."
  (computed-file "shells"
                 #~(begin
                     (use-modules (srfi srfi-1))

                     (define shells
                       (delete-duplicates (list #$@shells)))

                     (call-with-output-file #$output
                       (lambda (port)
                         (display "\
/bin/sh
/run/current-system/profile/bin/sh
/run/current-system/profile/bin/bash\n" port)
                         (for-each (lambda (shell)
                                     (display shell port)
                                     (newline port))
                                   shells))))))

(define (etc-files arguments)
  "Filter out among ARGUMENTS things corresponding to skeletons, and return
the /etc/skel directory for those, and /etc/shells."
  (let ((skels (filter pair? arguments))
        (users (filter user-account? arguments)))
    `(("skel" ,(skeleton-directory skels))
      ("shells" ,(shells-file (map user-account-shell users))))))

(define account-service-type
  (service-type (name 'account)

                ;; Concatenate <user-account>, <user-group>, and skeleton
                ;; lists.
                (compose concatenate)
                (extend append)

                (extensions
                 (list (service-extension activation-service-type
                                          account-activation)
                       (service-extension shepherd-root-service-type
                                          account-shepherd-service)
                       ;; 'user-processes' depends on 'user-homes' so that
                       ;; daemons start after their home directory exists.
                       (service-extension user-processes-service-type
                                          (const '(user-homes)))
                       (service-extension etc-service-type
                                          etc-files)))
                (default-value '())
                (description
                 "Ensure the specified user accounts and groups exist, as well
as each account home directory.")))

(define (account-service accounts+groups skeletons)
  "Return a <service> that takes care of user accounts and user groups, with
ACCOUNTS+GROUPS as its initial list of accounts and groups."
  (service account-service-type
           (append skeletons accounts+groups)))


;;;
;;; Subids Service.
;;;

(define %subordinate-id-min 100000)
(define %subordinate-id-max 600100000)
(define %subordinate-id-count 65536)

(define* (%root-subid #:optional (start %subordinate-id-min)
                      (count %subordinate-id-count))
  (subid-range
   (name "root")
   (start start)
   (count count)))

(define-record-type* <subids-configuration>
  subids-configuration make-subids-configuration
  subids-configuration?
  this-subids-configuration

  (add-root?   subids-configuration-add-root?                 ; boolean
               (default #t))
  (subgids     subids-configuration-subgids                   ; list of <subid-range>
               (default '()))
  (subuids     subids-configuration-subuids                   ; list of <subid-range>
               (default '())))

(define (subid-range->gexp range)
  "Turn RANGE, a <subid-range> object, into a list-valued gexp suitable for
'activate-subuids+subgids'."
  (define count (subid-range-count range))
  #~`(#$(subid-range-name range)
      #$(subid-range-start range)
      #$(if (and (number? count)
                 (> count 0))
            count
            %subordinate-id-count)))

(define (assert-valid-subids ranges)
  (cond ((>= (fold + 0 (map subid-range-count ranges))
             (- %subordinate-id-max %subordinate-id-min -1))
         (error (format #f "The configured ranges are more than the ~a max allowed."
                        (- %subordinate-id-max %subordinate-id-min -1))))
        ((any (lambda (r)
                (let ((start (subid-range-start r)))
                  (and start (< start %subordinate-id-min))))
              ranges)
         (error (format #f "One subid-range starts before the minimum allowed sub id ~a."
                        %subordinate-id-min)))
        ((any (lambda (r)
                (let ((end (subid-range-end r)))
                  (and end (> end %subordinate-id-max))))
              ranges)
         (error (format #f "One subid-range ends after the maximum allowed sub id ~a."
                        %subordinate-id-max)))
        ((any (compose string-null? subid-range-name) ranges)
         (error "One subid-range has a name equal to the empty string."))
        (else #t)))

(define (delete-duplicate-ranges ranges)
  (delete-duplicates ranges
                     (lambda (a b)
                       (string=? (subid-range-name a) (subid-range-name b)))))

(define (subids-activation config)
  "Return a gexp that activates the subordinate UIDs and GIDs of CONFIG."
  (define (add-root-when-missing ranges)
    (let* ((sorted-ranges (sort ranges subid-range-less))
           (root-missing? (not (find (lambda (r)
                                       (string=? "root" (subid-range-name r)))
                                     sorted-ranges)))
           (first-start (and (pair? sorted-ranges)
                             (subid-range-start (first sorted-ranges))))
           (first-has-start? (number? first-start))
           (root-start (if first-has-start?
                           (and (> first-start %subordinate-id-min)
                                %subordinate-id-min)
                           %subordinate-id-min))
           (root-count (if first-has-start?
                           (- first-start %subordinate-id-min)
                           %subordinate-id-count)))
      (if (and root-missing? (subids-configuration-add-root? config))
          (cons (%root-subid root-start root-count) sorted-ranges)
          sorted-ranges)))

  (define subuids
    (delete-duplicate-ranges (subids-configuration-subuids config)))
  (define subgids
    (delete-duplicate-ranges (subids-configuration-subgids config)))

  (assert-valid-subids subgids)
  (assert-valid-subids subuids)

  (with-imported-modules '((gnu system accounts) (guix records))
    #~(begin
        (use-modules (gnu system accounts))

        (activate-subuids+subgids
         (map sexp->subid-range
              (list #$@(map subid-range->gexp (add-root-when-missing subuids))))
         (map sexp->subid-range
              (list #$@(map subid-range->gexp (add-root-when-missing subgids))))))))

(define-record-type* <subids-extension>
  subids-extension make-subids-extension
  subids-extension?
  this-subids-extension

  (subgids   subids-extension-subgids                   ; list of <subid-range>
             (default '()))
  (subuids   subids-extension-subuids                   ; list of <subid-range>
             (default '())))

(define (append-subid-ranges . args)
  (delete-duplicate-ranges (apply append args)))

(define (subids-extension-merge a b)
  (subids-extension
   (subgids (append-subid-ranges (subids-extension-subgids a)
                                 (subids-extension-subgids b)))
   (subuids (append-subid-ranges (subids-extension-subuids a)
                                 (subids-extension-subuids b)))))

(define subids-service-type
  (service-type (name 'subids)
                (compose (lambda (args)
                           (fold subids-extension-merge
                                 (subids-extension)
                                 args)))
                (extend
                 (lambda (config extension)
                   (subids-configuration
                    (inherit config)
                    (subgids
                     (append-subid-ranges
                      (subids-configuration-subgids config)
                      (subids-extension-subgids extension)))
                    (subuids
                     (append-subid-ranges
                      (subids-configuration-subuids config)
                      (subids-extension-subuids extension))))))
                (extensions
                 (list (service-extension activation-service-type
                                          subids-activation)))
                (default-value
                  (subids-configuration))
                (description
                 "Ensure the specified sub UIDs and sub GIDs exist in
/etc/subuid and /etc/subgid.")))
